import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { RegoSet } from '../../value/value.ts'
import { roundHalfAwayFromZero } from './arithmetic.ts'
import { evalBounded, expectLimitError } from '../bounds-test-support.ts'
import { call, expectError, expectResult } from './test-calls.ts'

describe('plus minus mul', () => {
  it('computes exactly on integers', () => {
    expectResult('plus', [1, 2], 3)
    expectResult('plus', [49649733057, 1], 49649733058)
    expectResult('plus', [9007199254740991, 2], 9007199254740993n)
    expectResult('minus', [1, 4], -3)
    expectResult('minus', [9007199254740993n, 2], 9007199254740991)
    expectResult('mul', [3, 4], 12)
    expectResult('mul', [2 ** 40, 2 ** 40], 2n ** 80n)
    expectResult('mul', [-1.5, 0], 0)
    assert.equal(Object.is(call('mul', [-1.5, 0]), 0), true)
  })

  it('uses doubles for fractions', () => {
    expectResult('plus', [1.5, 1.5], 3)
    expectResult('minus', [1, 0.25], 0.75)
    expectResult('mul', [2.5, 2], 5)
  })

  it('subtracts sets', () => {
    expectResult('minus', [RegoSet.from([1, 2, 3]), RegoSet.from([2, 'x'])], RegoSet.from([1, 3]))
    expectResult('minus', [RegoSet.from([1]), RegoSet.from([1])], new RegoSet())
  })

  it('reports operand types as OPA does', () => {
    expectError('plus', ['a', 1], 'eval_type_error', 'operand 1 must be number but got string')
    expectError('plus', [1, null], 'eval_type_error', 'operand 2 must be number but got null')
    expectError('mul', [[], 1], 'eval_type_error', 'operand 1 must be number but got array')
    expectError('minus', [RegoSet.from([1]), 1], 'eval_type_error', 'operand 2 must be set but got number')
    expectError('minus', [1, RegoSet.from([1])], 'eval_type_error', 'operand 2 must be number but got set')
    expectError('minus', ['a', 1], 'eval_type_error', 'operand 1 must be one of {number, set} but got string')
    expectError('minus', [RegoSet.from([1]), 'a'], 'eval_type_error', 'operand 2 must be number but got string')
  })

  it('rejects results a double cannot hold', () => {
    expectError('mul', [2.5, 1e308], 'eval_builtin_error', 'number out of range')
    expectResult('mul', [1e300, 1e300], BigInt(1e300) * BigInt(1e300))
  })
})

describe('div rem', () => {
  it('divides to integers when exact', () => {
    expectResult('div', [4, 2], 2)
    expectResult('div', [1, 2], 0.5)
    expectResult('div', [1, 3], 1 / 3)
    expectResult('div', [2n ** 80n, 2 ** 40], 2 ** 40)
    expectResult('div', [0, 5], 0)
  })

  it('fails on zero divisors', () => {
    expectError('div', [1, 0], 'eval_builtin_error', 'divide by zero')
    expectError('div', [1.5, 0.0], 'eval_builtin_error', 'divide by zero')
    expectError('rem', [7, 0], 'eval_builtin_error', 'modulo by zero')
  })

  it('takes remainders of integers only', () => {
    expectResult('rem', [7, 4], 3)
    expectResult('rem', [-7, 4], -3)
    expectResult('rem', [10, 18446744073709551616n], 10)
    expectResult('rem', [2n ** 70n + 1n, 2n ** 70n], 1)
    expectError('rem', [1.1, 1], 'eval_builtin_error', 'modulo on floating-point number')
    expectError('rem', [1.1, 0], 'eval_builtin_error', 'modulo on floating-point number')
    expectError('rem', [1, 'x'], 'eval_type_error', 'operand 2 must be number but got string')
  })
})

describe('abs round ceil floor', () => {
  it('abs', () => {
    expectResult('abs', [-10], 10)
    expectResult('abs', [2.5], 2.5)
    expectResult('abs', [-2.5], 2.5)
    expectResult('abs', [-(2n ** 70n)], 2n ** 70n)
    expectResult('abs', [0], 0)
    expectError('abs', ['x'], 'eval_type_error', 'operand 1 must be number but got string')
  })

  it('round halves away from zero', () => {
    expectResult('round', [1.5], 2)
    expectResult('round', [2.5], 3)
    expectResult('round', [-1.5], -2)
    expectResult('round', [-2.5], -3)
    expectResult('round', [1.4999], 1)
    expectResult('round', [-0.4], 0)
    expectResult('round', [7], 7)
    expectResult('round', [2n ** 70n], 2n ** 70n)
    assert.equal(roundHalfAwayFromZero(0.49999999999999994), 0)
    assert.equal(Object.is(call('round', [-0.4]), 0), true)
  })

  it('ceil and floor', () => {
    expectResult('ceil', [1.01], 2)
    expectResult('ceil', [1.5], 2)
    expectResult('ceil', [2222.2222222222], 2223)
    expectResult('ceil', [1], 1)
    expectResult('ceil', [-1.99999], -1)
    expectResult('ceil', [-0.5], 0)
    expectResult('floor', [1.01], 1)
    expectResult('floor', [99.99999], 99)
    expectResult('floor', [-1.001], -2)
    expectResult('floor', [1e300], 1e300)
    expectError('floor', [null], 'eval_type_error', 'operand 1 must be number but got null')
  })
})

describe('arithmetic on huge integers', () => {
  it('stops at the step bound before multiplying or dividing them', () => {
    const x = 'x := bits.lsh(3, 1000000)\n'
    expectLimitError(`${x}p := (x * x) > 0`)
    expectLimitError(`${x}p := ((x + 1) / x) > 0`)
    expectLimitError(`${x}p := (x % (x - 1)) > 0`)
    expectLimitError(`${x}p := count([y | some i in numbers.range(1, 1000); y := x + i])`)
    assert.equal(evalBounded(`${x}p := (x - x) + (x % 3)`), 0)
    assert.equal(evalBounded('p := 9007199254740993 * 3'), 27021597764222979n)
  })
})
