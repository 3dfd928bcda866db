import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { call, expectError, expectResult, testContext } from './test-calls.ts'

describe('numbers.range and numbers.range_step', () => {
  it('counts up or down, inclusive', () => {
    expectResult('numbers.range', [0, 0], [0])
    expectResult('numbers.range', [-2, 3], [-2, -1, 0, 1, 2, 3])
    expectResult('numbers.range', [2, -3], [2, 1, 0, -1, -2, -3])
    expectResult('numbers.range', [49649733057, 49649733060], [49649733057, 49649733058, 49649733059, 49649733060])
    expectResult(
      'numbers.range',
      [9007199254740991, 9007199254740993n],
      [9007199254740991, 9007199254740992n, 9007199254740993n],
    )
    expectResult('numbers.range_step', [0, 10, 2], [0, 2, 4, 6, 8, 10])
    expectResult('numbers.range_step', [0, -10, 2], [0, -2, -4, -6, -8, -10])
    expectResult('numbers.range_step', [10, 3, 2], [10, 8, 6, 4])
    expectResult('numbers.range_step', [2, 5, 2], [2, 4])
    expectResult('numbers.range_step', [2, 2, 2], [2])
  })

  it('reports OPA errors', () => {
    expectError(
      'numbers.range',
      [3.14, 4],
      'eval_type_error',
      'operand 1 must be integer number but got floating-point number',
    )
    expectError(
      'numbers.range',
      [3, 3.14],
      'eval_type_error',
      'operand 2 must be integer number but got floating-point number',
    )
    expectError('numbers.range', ['a', 3], 'eval_type_error', 'operand 1 must be integer but got string')
    expectError('numbers.range_step', [0, 10, -2], 'eval_builtin_error', 'step must be a positive number above zero')
    expectError('numbers.range_step', [0, 10, 0], 'eval_builtin_error', 'step must be a positive number above zero')
    expectError(
      'numbers.range_step',
      [0, 10, 0.5],
      'eval_type_error',
      'operand 3 must be integer number but got floating-point number',
    )
    expectError('numbers.range', [0, 2n ** 40n], 'eval_builtin_error', 'range too large')
  })
})

describe('rand.intn', () => {
  it('draws from ctx.random and keeps one value per (string, n) per evaluation', () => {
    const ctx = testContext(() => 0.42)
    assert.equal(call('rand.intn', ['key', 100], ctx), 42)
    const next = testContext(() => 0.99)
    assert.equal(call('rand.intn', ['key', 100], next), 99)
    let draws = 0
    const counting = testContext(() => {
      draws++
      return draws / 10
    })
    assert.equal(call('rand.intn', ['k', 10], counting), 1)
    assert.equal(call('rand.intn', ['k', 10], counting), 1)
    assert.equal(call('rand.intn', ['k', -10], counting), 1)
    assert.equal(call('rand.intn', ['other', 10], counting), 2)
    assert.equal(draws, 2)
  })

  it('handles zero and negative bounds', () => {
    expectResult('rand.intn', ['k', 0], 0)
    const ctx = testContext(() => 0.5)
    assert.equal(call('rand.intn', ['k', -4], ctx), 2)
  })

  it('reports operand types', () => {
    expectError('rand.intn', [1, 2], 'eval_type_error', 'operand 1 must be string but got number')
    expectError(
      'rand.intn',
      ['k', 1.5],
      'eval_type_error',
      'operand 2 must be integer number but got floating-point number',
    )
  })
})
