import { describe, it } from 'node:test'
import { RegoObject } from '../../value/value.ts'
import { expectError, expectResult } from './test-calls.ts'

describe('array builtins', () => {
  it('array.concat', () => {
    expectResult('array.concat', [[1, 2], [3]], [1, 2, 3])
    expectResult('array.concat', [[], []], [])
    expectError('array.concat', [new RegoObject(), []], 'eval_type_error', 'operand 1 must be array but got object')
    expectError('array.concat', [[], new RegoObject()], 'eval_type_error', 'operand 2 must be array but got object')
  })

  it('array.reverse', () => {
    expectResult('array.reverse', [[1, 2, 3]], [3, 2, 1])
    expectResult('array.reverse', [[]], [])
    expectError('array.reverse', [new RegoObject()], 'eval_type_error', 'operand 1 must be array but got object')
  })

  it('array.slice clamps its indexes', () => {
    expectResult('array.slice', [[1, 2, 3, 4], 1, 3], [2, 3])
    expectResult('array.slice', [[1, 2, 3, 4], -5, 2], [1, 2])
    expectResult('array.slice', [[1, 2, 3, 4], 2, 100], [3, 4])
    expectResult('array.slice', [[1, 2, 3, 4], 3, 1], [])
    expectResult('array.slice', [[1, 2, 3, 4], 4, 4], [])
    expectError(
      'array.slice',
      [[1], 0.5, 1],
      'eval_type_error',
      'operand 2 must be integer number but got floating-point number',
    )
    expectError('array.slice', [[1], 0, 'x'], 'eval_type_error', 'operand 3 must be number but got string')
    expectError(
      'array.slice',
      [[1], 0, 2n ** 64n],
      'eval_type_error',
      'operand 3 must be integer number but got floating-point number',
    )
  })
})
