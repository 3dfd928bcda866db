import { describe, it } from 'node:test'
import { expectLimitError } from '../bounds-test-support.ts'
import { expectError, expectResult } from './test-calls.ts'

describe('bits', () => {
  it('and / or / xor / negate', () => {
    expectResult('bits.and', [7, 9], 1)
    expectResult('bits.and', [50, 0], 0)
    expectResult('bits.or', [7, 9], 15)
    expectResult('bits.xor', [42, 3], 41)
    expectResult('bits.xor', [10, -20], -26)
    expectResult('bits.negate', [42], -43)
    expectResult('bits.negate', [-1], 0)
    expectResult('bits.and', [2n ** 70n + 5n, 2n ** 70n + 3n], 2n ** 70n + 1n)
    expectResult('bits.or', [2n ** 70n, 1], 2n ** 70n + 1n)
    expectResult('bits.negate', [2n ** 70n], -(2n ** 70n) - 1n)
  })

  it('shifts with arbitrary precision', () => {
    expectResult('bits.lsh', [1, 3], 8)
    expectResult('bits.lsh', [2147483647, 1], 4294967294)
    expectResult('bits.lsh', [9223372036854775807n, 1], 18446744073709551614n)
    expectResult('bits.lsh', [0, 1e12], 0)
    expectResult('bits.rsh', [8, 3], 1)
    expectResult('bits.rsh', [-8, 1], -4)
    expectResult('bits.rsh', [-7, 1], -4)
    expectResult('bits.rsh', [7, 1e12], 0)
    expectResult('bits.rsh', [-7, 1e12], -1)
    expectResult('bits.rsh', [2n ** 70n, 70], 1)
  })

  it('reports OPA errors', () => {
    expectError(
      'bits.and',
      [7.2, 42],
      'eval_type_error',
      'operand 1 must be integer number but got floating-point number',
    )
    expectError(
      'bits.or',
      [1, 0.5],
      'eval_type_error',
      'operand 2 must be integer number but got floating-point number',
    )
    expectError('bits.xor', [7, 'hi'], 'eval_type_error', 'operand 2 must be integer but got string')
    expectError(
      'bits.negate',
      [7.2],
      'eval_type_error',
      'operand 1 must be integer number but got floating-point number',
    )
    expectError(
      'bits.lsh',
      [7, -1],
      'eval_type_error',
      'operand 2 must be an unsigned integer number but got a negative integer',
    )
    expectError(
      'bits.rsh',
      [7, -1],
      'eval_type_error',
      'operand 2 must be an unsigned integer number but got a negative integer',
    )
    expectError('bits.lsh', [1, 2 ** 40], 'eval_builtin_error', 'shift count too large')
  })
})

describe('bits on huge integers', () => {
  it('charge the integers they read and build', () => {
    expectLimitError('p := count([y | some i in numbers.range(1, 1000); y := bits.lsh(1, 1000000)])')
    expectLimitError(
      'x := bits.lsh(1, 200000)\np := count([y | some i in numbers.range(1, 1000); y := bits.and(x, i)])',
    )
    expectLimitError(
      'x := bits.lsh(1, 200000)\np := count([y | some i in numbers.range(1, 1000); y := bits.rsh(x, i)])',
    )
  })
})
