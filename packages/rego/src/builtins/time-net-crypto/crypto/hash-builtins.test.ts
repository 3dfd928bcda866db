import { describe, it } from 'node:test'
import { expectLimitError } from '../../bounds-test-support.ts'
import { expectError, expectResult } from '../test-calls.ts'

describe('crypto digests and HMACs', () => {
  it('hash the UTF-8 bytes of the input', () => {
    expectResult('crypto.md5', ['lorem ipsum'], '80a751fde577028640c419000e33eba6')
    expectResult('crypto.sha1', ['lorem ipsum'], 'bfb7759a67daeb65410490b4d98bb9da7d1ea2ce')
    expectResult('crypto.sha256', ['lorem ipsum'], '5e2bf57d3f40c4b6df69daf1936cb766f832374b4fc0259a7cbff06e2f70f269')
    expectResult('crypto.hmac.md5', ['foo', 'bar'], '31b6db9e5eb4addb42f1a6ca07367adc')
    expectResult('crypto.hmac.sha1', ['foo', 'bar'], '85d155c55ed286a300bd1cf124de08d87e914f3a')
    expectResult(
      'crypto.hmac.sha256',
      ['foo', 'bar'],
      '147933218aaabc0b8b10a2b3a5c34684c8d94341bcf10a4736dc7270f7741851',
    )
    expectResult(
      'crypto.hmac.sha512',
      ['\u00e5\u00e4\u00f6\u00e7\u00df\u{1f972}\u2659\u03a9', '\u79d8\u5bc6\u306e'],
      '192f5afded233d6e21427aa26ed267ac118cfa2971013d91cbed530c0b208d78138b83dfe1d6cc3553d7bd518f22a481402c723028e1279d1ffbe8f11ea6b125',
    )
    expectError('crypto.hmac.sha256', ['foo', 1], 'eval_type_error', 'operand 2 must be string but got number')
  })

  it('compare MACs', () => {
    expectResult('crypto.hmac.equal', ['31b6db9e', '31b6db9e'], true)
    expectResult('crypto.hmac.equal', ['31b6db9e', '31b6db9f'], false)
    expectResult('crypto.hmac.equal', ['31b6db9e5eb4addb42f1a6ca07367adc', '31b6db9e5eb4addb'], false)
  })
})

describe('hashing long texts', () => {
  it('is charged by their length', () => {
    for (const call of ['crypto.sha256(input)', 'crypto.md5(input)', 'crypto.hmac.sha256(input, "k")']) {
      expectLimitError(`p := [x | some i in numbers.range(1, 10); x := ${call}]`, { input: 'x'.repeat(1_000_000) })
    }
  })
})
