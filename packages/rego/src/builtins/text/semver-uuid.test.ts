import assert from 'node:assert/strict'
import { test } from 'node:test'
import { equal } from '../../value/compare.ts'
import { RegoObject } from '../../value/value.ts'
import { callText, textBuiltinContext } from './call-text-builtin.ts'

test('semver.compare follows SemVer precedence', () => {
  assert.equal(callText('semver.compare', ['1.0.0', '2.0.0']), -1)
  assert.equal(callText('semver.compare', ['v1.2.3', '1.2.3+build']), 0)
  assert.equal(callText('semver.compare', ['1.0.0-alpha', '1.0.0']), -1)
  assert.equal(callText('semver.compare', ['1.0.0-alpha.1', '1.0.0-alpha.beta']), -1)
  assert.equal(callText('semver.compare', ['1.0.0-rc.11', '1.0.0-rc.2']), 1)
  assert.equal(callText('semver.compare', ['1.0.0-alpha.1', '1.0.0-alpha']), 1)
  assert.throws(
    () => callText('semver.compare', ['1', '1.0.0']),
    /^BuiltinError: operand 1: string "1" is not a valid SemVer$/,
  )
  assert.throws(() => callText('semver.compare', ['1.0.0', '1.0']), /operand 2: string "1.0" is not a valid SemVer/)
})

test('semver.is_valid', () => {
  assert.equal(callText('semver.is_valid', ['1.0.0']), true)
  assert.equal(callText('semver.is_valid', ['1.0.0-x_y']), false)
  assert.equal(callText('semver.is_valid', ['1']), false)
  assert.equal(callText('semver.is_valid', [1]), false)
})

test('uuid.parse decodes version 1 and 2 fields', () => {
  const v2 = callText('uuid.parse', ['urn:uuid:000003e8-48b9-21ee-b200-325096b39f47'])
  assert.ok(v2 instanceof RegoObject)
  assert.deepEqual(Object.fromEntries(v2.entries() as [string, unknown][]), {
    clocksequence: 12800,
    domain: 'Person',
    id: 1000,
    macvariables: 'local:unicast',
    nodeid: '32-50-96-b3-9f-47',
    time: 1693566990121469600n,
    variant: 'RFC4122',
    version: 2,
  })
  const v4 = callText('uuid.parse', ['{00000000-0000-4000-8000-000000000000}'])
  assert.ok(
    equal(
      v4 ?? null,
      RegoObject.from([
        ['variant', 'RFC4122'],
        ['version', 4],
      ]),
    ),
  )
  const v3 = callText('uuid.parse', ['6bea8ef2d3d33cd184e09bab06a52ece']) ?? null
  assert.ok(
    equal(
      v3,
      RegoObject.from([
        ['variant', 'RFC4122'],
        ['version', 3],
      ]),
    ),
  )
  assert.equal(callText('uuid.parse', ['not-a-uuid']), undefined)
})

test('uuid.rfc4122 is random v4, memoized per argument within an evaluation', () => {
  let n = 0
  const ctx = textBuiltinContext(() => (n++ % 97) / 97)
  const a = callText('uuid.rfc4122', ['x'], ctx)
  assert.equal(typeof a, 'string')
  assert.match(a as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  assert.equal(callText('uuid.rfc4122', ['x'], ctx), a)
  assert.notEqual(callText('uuid.rfc4122', ['y'], ctx), a)
})
