import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CdhError } from './cdh-error.ts'
import { decodeRuntimeData } from './runtime-data.ts'

const invalid = (e: unknown): boolean => e instanceof CdhError && e.code === 'INVALID_RUNTIME_DATA'

test('without an encoding the UTF-8 bytes are the report data, unhashed', () => {
  assert.deepEqual(decodeRuntimeData('hello', undefined), new Uint8Array(Buffer.from('hello')))
  assert.deepEqual(decodeRuntimeData('é', undefined), Uint8Array.from([0xc3, 0xa9]))
})

test('encoding=base64 is URL-safe base64 without padding, strictly', () => {
  assert.deepEqual(decodeRuntimeData('cmVwb3J0', 'base64'), new Uint8Array(Buffer.from('report')))
  assert.deepEqual(decodeRuntimeData('-_8', 'base64'), Uint8Array.from([0xfb, 0xff]))
  for (const bad of ['!!!', 'cmVwb3J0==', 'cmVwb3J0=', '+/8', 'cmVwb3J', 'cm Vw']) {
    assert.throws(() => decodeRuntimeData(bad, 'base64'), invalid, bad)
  }
})

test('any other encoding is refused', () => {
  assert.throws(() => decodeRuntimeData('data', 'hex'), invalid)
  assert.throws(() => decodeRuntimeData('data', ''), invalid)
})
