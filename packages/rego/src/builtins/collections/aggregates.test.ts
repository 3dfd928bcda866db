import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { RegoObject, RegoSet } from '../../value/value.ts'
import { evalBounded, expectLimitError } from '../bounds-test-support.ts'
import { expectError, expectResult } from './test-calls.ts'

describe('count', () => {
  it('counts collections and string code points', () => {
    expectResult('count', [[1, 2, 3]], 3)
    expectResult('count', [RegoSet.from([1, 1.0, 2])], 2)
    expectResult('count', [RegoObject.from([['a', 1]])], 1)
    expectResult('count', ['h\u00e9\u{1f600}'], 3)
    expectResult('count', [''], 0)
    expectError('count', [1], 'eval_type_error', 'operand 1 must be one of {array, object, set, string} but got number')
    expectError(
      'count',
      [null],
      'eval_type_error',
      'operand 1 must be one of {array, object, set, string} but got null',
    )
  })
})

describe('sum and product', () => {
  it('are exact on integers', () => {
    expectResult('sum', [[1, 2, 3]], 6)
    expectResult('sum', [[]], 0)
    expectResult('sum', [RegoSet.from([1, 2, 3])], 6)
    expectResult('sum', [[9223372036854775807n, 9223372036854775807n]], 18446744073709551614n)
    expectResult('sum', [[2n ** 70n, -(2n ** 70n)]], 0)
    expectResult('product', [[2, 3, 4]], 24)
    expectResult('product', [[]], 1)
    expectResult('product', [[2 ** 40, 2 ** 40]], 2n ** 80n)
    expectResult('product', [RegoSet.from([2, 2.5])], 5)
  })

  it('use doubles once a fraction appears', () => {
    expectResult('sum', [[1, 2.5]], 3.5)
    expectResult('sum', [[0.5, 0.5]], 1)
    expectResult('product', [[0.5, 3]], 1.5)
  })

  it('reject non-numbers', () => {
    expectError(
      'sum',
      [[1, 'a']],
      'eval_type_error',
      'operand 1 must be array of numbers but got array containing string',
    )
    expectError(
      'sum',
      [RegoSet.from([1, 'a'])],
      'eval_type_error',
      'operand 1 must be set of numbers but got set containing string',
    )
    expectError(
      'product',
      [[null]],
      'eval_type_error',
      'operand 1 must be array of numbers but got array containing null',
    )
    expectError('sum', [RegoObject.from([])], 'eval_type_error', 'operand 1 must be one of {set, array} but got object')
    expectError('product', ['x'], 'eval_type_error', 'operand 1 must be one of {set, array} but got string')
  })
})

describe('max min sort', () => {
  it('use the total order', () => {
    expectResult('max', [[1, 3, 2]], 3)
    expectResult('max', [[1, 'a', null]], 'a')
    expectResult('max', [RegoSet.from([1, [0]])], [0])
    expectResult('min', [[3, 1, 2]], 1)
    expectResult('min', [[false, 0, 'x']], false)
    expectResult('min', [RegoSet.from(['b', 'a'])], 'a')
  })

  it('are undefined on empty collections', () => {
    expectResult('max', [[]], undefined)
    expectResult('min', [new RegoSet()], undefined)
  })

  it('sort returns a sorted array', () => {
    expectResult('sort', [[3, 'a', 1, null, [1]]], [null, 1, 3, 'a', [1]])
    expectResult('sort', [RegoSet.from([2, 1])], [1, 2])
    expectResult('sort', [[]], [])
    expectError(
      'sort',
      [RegoObject.from([])],
      'eval_type_error',
      'operand 1 must be one of {set, array} but got object',
    )
    expectError('max', [1], 'eval_type_error', 'operand 1 must be one of {set, array} but got number')
  })
})

describe('sum and product of huge integers', () => {
  it('charge each step by the size of the running result', () => {
    expectLimitError('p := product(numbers.range(1, 100000)) > 0')
    expectLimitError('x := bits.lsh(1, 1000000)\np := sum([x | some i in numbers.range(1, 1000)]) > 0')
    assert.equal(evalBounded('p := sum(numbers.range(1, 10000))'), 50_005_000)
    assert.equal(evalBounded('p := product(numbers.range(1, 20))'), 2432902008176640000n)
  })
})

describe('sort of a large array', () => {
  it('is charged by its length', () => {
    expectLimitError('p := count([x | some i in numbers.range(1, 10); x := sort(input)])', {
      input: Array.from({ length: 20_000 }, (_, i) => -i),
    })
    assert.deepEqual(evalBounded('p := sort(input)', { input: [3, 1, 2] }), [1, 2, 3])
  })
})
