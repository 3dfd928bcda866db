import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { RegoSet } from '../../value/value.ts'
import { evalBounded, expectLimitError } from '../bounds-test-support.ts'
import { expectError, expectResult } from './test-calls.ts'

describe('to_number', () => {
  it('converts null, booleans and numbers', () => {
    expectResult('to_number', [null], 0)
    expectResult('to_number', [false], 0)
    expectResult('to_number', [true], 1)
    expectResult('to_number', [100.1], 100.1)
    expectResult('to_number', [2n ** 70n], 2n ** 70n)
  })

  it('parses strings as Go ParseFloat does, keeping big integers exact', () => {
    expectResult('to_number', ['-42.0'], -42)
    expectResult('to_number', ['3'], 3)
    expectResult('to_number', ['+5'], 5)
    expectResult('to_number', ['007'], 7)
    expectResult('to_number', ['-0'], 0)
    expectResult('to_number', ['1.5e3'], 1500)
    expectResult('to_number', ['.5'], 0.5)
    expectResult('to_number', ['5.'], 5)
    expectResult('to_number', ['1_000'], 1000)
    expectResult('to_number', ['0x1p-2'], 0.25)
    expectResult('to_number', ['9223372036854775808'], 9223372036854775808n)
    expectResult('to_number', ['-123456789123456789123'], -123456789123456789123n)
  })

  it('rejects what ParseFloat rejects', () => {
    expectError('to_number', ['broken'], 'eval_builtin_error', 'strconv.ParseFloat: parsing "broken": invalid syntax')
    expectError('to_number', [''], 'eval_builtin_error', 'strconv.ParseFloat: parsing "": invalid syntax')
    expectError('to_number', [' 1'], 'eval_builtin_error', 'strconv.ParseFloat: parsing " 1": invalid syntax')
    expectError('to_number', ['0x10'], 'eval_builtin_error', 'strconv.ParseFloat: parsing "0x10": invalid syntax')
    expectError('to_number', ['1e400'], 'eval_builtin_error', 'strconv.ParseFloat: parsing "1e400": value out of range')
  })

  it('rejects infinities and NaN as type errors', () => {
    for (const s of ['nan', 'inf', '-inf', 'Infinity', '-Infinity', '-nan', '-NaN', 'iNf', '+-inf']) {
      expectError('to_number', [s], 'eval_type_error', 'operand 1 must be valid number string but got string')
    }
  })

  it('rejects composites', () => {
    expectError(
      'to_number',
      [[]],
      'eval_type_error',
      'operand 1 must be one of {null, boolean, number, string} but got array',
    )
    expectError(
      'to_number',
      [new RegoSet()],
      'eval_type_error',
      'operand 1 must be one of {null, boolean, number, string} but got set',
    )
  })
})

describe('to_number of huge integers', () => {
  it('charges reading the digits (quadratic in their count)', () => {
    expectLimitError('p := to_number(input) > 0', { input: '7'.repeat(100_000) })
    assert.equal(evalBounded('p := to_number(input) > 0', { input: '7'.repeat(1_000) }), true)
  })
})
