import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { RegoObject, RegoSet } from '../../value/value.ts'
import { evalBounded, expectLimitError } from '../bounds-test-support.ts'
import { definition, expectError, expectResult } from './test-calls.ts'

describe('deprecated v0 builtins', () => {
  it('are marked deprecated', () => {
    for (const name of [
      'all',
      'any',
      'set_diff',
      'cast_array',
      'cast_set',
      'cast_string',
      'cast_boolean',
      'cast_null',
      'cast_object',
    ]) {
      assert.equal(definition(name).deprecated, true, name)
    }
    assert.equal(definition('count').deprecated, undefined)
  })

  it('all / any', () => {
    expectResult('all', [[]], true)
    expectResult('all', [new RegoSet()], true)
    expectResult('all', [[true, true]], true)
    expectResult('all', [[true, 1]], false)
    expectResult('any', [[]], false)
    expectResult('any', [new RegoSet()], false)
    expectResult('any', [RegoSet.from([false, true])], true)
    expectResult('any', [[false, 'true']], false)
    expectError('any', ['x'], 'eval_type_error', 'operand 1 must be one of {array, set} but got string')
    expectError('all', [new RegoObject()], 'eval_type_error', 'operand 1 must be one of {array, set} but got object')
  })

  it('set_diff', () => {
    expectResult('set_diff', [RegoSet.from([1, 2]), RegoSet.from([2])], RegoSet.from([1]))
    expectError('set_diff', [RegoSet.from([1]), [1]], 'eval_type_error', 'operand 2 must be set but got array')
  })

  it('casts', () => {
    expectResult('cast_array', [[1, 2, 3]], [1, 2, 3])
    expectResult('cast_array', [RegoSet.from([3, 1, 2])], [1, 2, 3])
    expectResult('cast_set', [[1, 1, 1]], RegoSet.from([1]))
    expectResult('cast_set', [RegoSet.from([1])], RegoSet.from([1]))
    expectError('cast_array', ['hello'], 'eval_type_error', 'operand 1 must be one of {array, set} but got string')
    expectError('cast_set', ['hello'], 'eval_type_error', 'operand 1 must be one of {array, set} but got string')
    expectResult('cast_string', ['s'], 's')
    expectResult('cast_boolean', [false], false)
    expectResult('cast_null', [null], null)
    expectResult('cast_object', [RegoObject.from([['a', 1]])], RegoObject.from([['a', 1]]))
    expectError('cast_string', [1], 'eval_type_error', 'operand 1 must be string but got number')
    expectError('cast_boolean', [null], 'eval_type_error', 'operand 1 must be boolean but got null')
    expectError('cast_null', [false], 'eval_type_error', 'operand 1 must be null but got boolean')
    expectError('cast_object', [[]], 'eval_type_error', 'operand 1 must be object but got array')
  })
})

describe('copies of large collections in deprecated builtins', () => {
  it('stop at the step bound', () => {
    const big = 'import future.keywords.in\na := numbers.range(1, 20000)\ns := {x | some x in a}\n'
    const v0 = { regoVersion: 0 } as const
    expectLimitError(`${big}p := count([x | some i in numbers.range(1, 10); x := cast_set(a)])`, {}, v0)
    expectLimitError(`${big}p := count([x | some i in numbers.range(1, 10); x := cast_array(s)])`, {}, v0)
    expectLimitError(`${big}p := count([x | some i in numbers.range(1, 10); x := set_diff(s, {1})])`, {}, v0)
    assert.equal(evalBounded(`${big}p := count(cast_set(a))`, {}, v0), 20_000)
  })
})
