import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { RegoSet } from '../../value/value.ts'
import { evalBounded, expectLimitError } from '../bounds-test-support.ts'
import { expectError, expectResult } from './test-calls.ts'

const s = (...v: (number | string)[]): RegoSet => RegoSet.from(v)

describe('set operators and functions', () => {
  it('and / or', () => {
    expectResult('and', [s(1, 2, 3), s(2, 3, 4)], s(2, 3))
    expectResult('or', [s(1, 2), s(2, 3)], s(1, 2, 3))
    expectError('and', [s(1), [1]], 'eval_type_error', 'operand 2 must be set but got array')
    expectError('or', [1, s(1)], 'eval_type_error', 'operand 1 must be set but got number')
  })

  it('intersection / union of a set of sets', () => {
    expectResult('intersection', [RegoSet.from([s(1, 2, 3), s(2, 3), s(3, 2, 5)])], s(2, 3))
    expectResult('intersection', [new RegoSet()], new RegoSet())
    expectResult('union', [RegoSet.from([s(1), s(2, 'a'), new RegoSet()])], s(1, 2, 'a'))
    expectResult('union', [new RegoSet()], new RegoSet())
    expectError('union', [RegoSet.from([s(1), 2])], 'eval_type_error', 'operand 1 must be set but got number')
    expectError('intersection', [[s(1)]], 'eval_type_error', 'operand 1 must be set but got array')
  })
})

describe('set operations on huge sets', () => {
  it('stop at the step bound', () => {
    const big = 's := {x | some x in numbers.range(1, 12000)}\n'
    expectLimitError(`${big}p := count([x | some i in numbers.range(1, 10); x := union({s, {i}})])`)
    expectLimitError(`${big}p := count([x | some i in numbers.range(1, 10); x := s | {i}])`)
    expectLimitError(`${big}p := count([x | some i in numbers.range(1, 10); x := s & s])`)
    expectLimitError(`${big}p := count([x | some i in numbers.range(1, 10); x := s - {i}])`)
    expectLimitError(`${big}p := count([x | some i in numbers.range(1, 10); x := intersection({s, {i}})])`)
    assert.equal(evalBounded(`${big}p := count(union({s, {0}}))`), 12_001)
  })
})
