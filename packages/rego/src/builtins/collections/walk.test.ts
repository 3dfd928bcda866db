import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { equal } from '../../value/compare.ts'
import { toRegoText } from '../../value/rego-text.ts'
import { RegoObject, RegoSet, type Value } from '../../value/value.ts'
import { definition, testContext } from './test-calls.ts'

function walkAll(v: Value): Value[] {
  const def = definition('walk')
  assert.ok(def.relation)
  return [...def.relation([v], testContext())]
}

function assertPairs(got: Value[], want: Value[]): void {
  assert.ok(equal(got, want), `${toRegoText(got)} != ${toRegoText(want)}`)
}

describe('walk', () => {
  it('is a relation', () => {
    const def = definition('walk')
    assert.equal(def.arity, 1)
    assert.throws(() => def.fn([1], testContext()))
  })

  it('yields a scalar itself', () => {
    assertPairs(walkAll(1), [[[], 1]])
  })

  it('walks arrays and objects in pre-order', () => {
    assertPairs(walkAll([1, 2]), [
      [[], [1, 2]],
      [[0], 1],
      [[1], 2],
    ])
    const obj = RegoObject.from([
      ['v2', 'goodbye'],
      ['v1', [true]],
    ])
    assertPairs(walkAll(obj), [
      [[], obj],
      [['v1'], [true]],
      [['v1', 0], true],
      [['v2'], 'goodbye'],
    ])
  })

  it('uses set members as path segments', () => {
    const inner = RegoSet.from([3, 1, 2])
    const outer = RegoSet.from([inner])
    assertPairs(walkAll(outer), [
      [[], outer],
      [[inner], inner],
      [[inner, 1], 1],
      [[inner, 2], 2],
      [[inner, 3], 3],
    ])
  })
})
