import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { RegoObject } from '../../value/value.ts'
import { evalBounded, expectLimitError } from '../bounds-test-support.ts'
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

describe('array copies on huge arrays', () => {
  it('stop at the step bound', () => {
    const doubling = ['a0 := numbers.range(1, 1000)']
    for (let i = 1; i <= 4; i++) doubling.push(`a${i} := array.concat(a${i - 1}, a${i - 1})`)
    assert.equal(evalBounded(`${doubling.join('\n')}\np := count(a4)`), 16_000)
    const half = Array.from({ length: 60_000 }, (_, i) => i)
    expectLimitError('p := count(array.concat(input, input))', { input: half })
    const big = 'a := numbers.range(1, 20000)\n'
    expectLimitError(`${big}p := count([x | some i in numbers.range(1, 10); x := array.reverse(a)])`)
    expectLimitError(`${big}p := count([x | some i in numbers.range(1, 10); x := array.slice(a, 0, 20000)])`)
  })
})
