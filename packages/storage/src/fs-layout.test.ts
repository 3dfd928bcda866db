import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { decodeName, encodeName, isCanonicalLocation, keyLocation, namespaceDir } from './fs-layout.ts'

test('"/" is spelled \\x2F (upstream LocalFs) and decodes back', () => {
  assert.equal(encodeName('repo/type/tag'), 'repo\\x2Ftype\\x2Ftag')
  assert.equal(decodeName('repo\\x2Ftype\\x2Ftag'), 'repo/type/tag')
  assert.deepEqual(keyLocation('repo/type/tag'), { dirs: [], file: 'repo\\x2Ftype\\x2Ftag' })
})

test('every location fits NAME_MAX and spells the encoded key; long keys get "~" directories', () => {
  const keys = [
    'a',
    'k'.repeat(240),
    'k'.repeat(241),
    'k'.repeat(256),
    'a/'.repeat(127) + 'bc',
    'a'.repeat(54) + '..',
    'x.'.repeat(128),
  ]
  for (const key of keys) {
    const { dirs, file } = keyLocation(key)
    for (const name of [...dirs, file]) {
      assert.ok(name.length <= 246, `${name.length}`) // leaves room for the "~lock-" prefix
      assert.ok(!name.startsWith('~'))
      assert.notEqual(name, '.')
      assert.notEqual(name, '..')
    }
    assert.ok(dirs.every((d) => d.endsWith('~')))
    assert.ok(!file.endsWith('~'))
    assert.equal(decodeName(dirs.map((d) => d.slice(0, -1)).join('') + file), key)
    assert.ok(isCanonicalLocation(key, dirs, file))
  }
  assert.equal(keyLocation('k'.repeat(240)).dirs.length, 0)
  assert.equal(keyLocation('k'.repeat(241)).dirs.length, 1)
  assert.equal(keyLocation('a/'.repeat(127) + 'bc').dirs.length, 3)
  assert.ok(!isCanonicalLocation('k'.repeat(10), ['k~'], 'k'.repeat(9)))
})

test('namespaces: encoded like keys; one too long for a file name is hashed', () => {
  assert.equal(namespaceDir('/r', 'kbs_protocol_session'), join('/r', 'kbs_protocol_session'))
  assert.equal(namespaceDir('/r', 'a/b'), join('/r', 'a\\x2Fb'))
  const long = namespaceDir('/r', 'n/'.repeat(100) + 'x')
  assert.match(long, /^\/r\/~ns-[0-9a-f]{64}$/)
  assert.notEqual(long, namespaceDir('/r', 'n/'.repeat(100) + 'y'))
})
