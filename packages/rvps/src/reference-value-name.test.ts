import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RvpsError } from './errors.ts'
import { nameOfStorageKey, storageKeyOfName } from './reference-value-name.ts'

test('plain names are their own storage key', () => {
  for (const name of ['svn', 'snp_launch_measurement', 'NVIDIA_Corporation.GPU.measurement_12', 'a/b-c/d.e', '_x']) {
    assert.equal(storageKeyOfName(name), name)
    assert.equal(nameOfStorageKey(name), name)
  }
})

test('other names are stored base64url-encoded under -b64/, and decode back', () => {
  const names = [
    'rvps:///confidential-containers/kata/measurements:v0.18.0',
    'ACME Ltd./RoadRunner/digests',
    '-starts-with-dash',
    '.hidden',
    'a//b',
    'a/../b',
    'trailing/',
    'ünïcødé ✓',
    'a'.repeat(257),
  ]
  for (const name of names.slice(0, -1)) {
    const key = storageKeyOfName(name)
    assert.match(key, /^-b64\/[A-Za-z0-9_-]+$/)
    assert.equal(nameOfStorageKey(key), name)
  }
  assert.equal(storageKeyOfName('rvps:///a'), '-b64/cnZwczovLy9h')
  assert.equal(storageKeyOfName('a'.repeat(256)), 'a'.repeat(256))
  assert.throws(() => storageKeyOfName('a'.repeat(257)), RvpsError)
  assert.equal(storageKeyOfName(':'.repeat(188)).length, 256)
  assert.throws(() => storageKeyOfName(':'.repeat(189)), /at most 188 UTF-8 bytes/)
})

test('names that cannot be stored', () => {
  for (const name of ['', 'a\u0000', 'tab\there', 'del\u007f', 'lone\ud800']) {
    assert.throws(
      () => storageKeyOfName(name),
      (error: unknown) => error instanceof RvpsError && error.code === 'INVALID_NAME',
      JSON.stringify(name),
    )
  }
})

test('keys no name maps to', () => {
  assert.equal(nameOfStorageKey('-b64/'), undefined)
  assert.equal(nameOfStorageKey('-other'), undefined)
  assert.equal(nameOfStorageKey(`-b64/${Buffer.from('plain').toString('base64url')}`), undefined)
})
