import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { RegoObject, RegoSet, type Value } from '../../value/value.ts'
import { evalBounded, expectLimitError } from '../bounds-test-support.ts'
import { expectError, expectResult } from './test-calls.ts'

const o = (...entries: [Value, Value][]): RegoObject => RegoObject.from(entries)
const s = (...items: Value[]): RegoSet => RegoSet.from(items)

describe('graph.reachable', () => {
  it('follows edges from the initial vertices', () => {
    expectResult('graph.reachable', [o(), s('a')], s())
    expectResult('graph.reachable', [o(['a', s('b')], ['b', s('c')], ['c', s('a')]), s('a')], s('a', 'b', 'c'))
    const components = o(
      ['a', s('b', 'c')],
      ['b', s('d')],
      ['c', s('d')],
      ['d', s()],
      ['e', s('f')],
      ['f', s('e')],
      ['x', s('x')],
    )
    expectResult('graph.reachable', [components, s('b', 'e')], s('b', 'd', 'e', 'f'))
    expectResult('graph.reachable', [o(['a', ['b']], ['b', ['c']], ['c', ['a']]), ['a']], s('a', 'b', 'c'))
    expectResult('graph.reachable', [o(['a', null]), ['a']], s('a'))
  })

  it('reports operand types', () => {
    expectError('graph.reachable', [1, [1]], 'eval_type_error', 'operand 1 must be object but got number')
    expectError(
      'graph.reachable',
      [o(['a', []]), 'a'],
      'eval_type_error',
      'operand 2 must be {array, set} but got string',
    )
  })
})

describe('graph.reachable_paths', () => {
  it('lists paths to leaves, missing vertices and cycles', () => {
    expectResult('graph.reachable_paths', [o(), s('a')], s())
    expectResult('graph.reachable_paths', [o(['a', s('b')], ['b', s('c')], ['c', s('a')]), s('a')], s(['a', 'b', 'c']))
    const components = o(
      ['a', s('b', 'c')],
      ['b', s('d')],
      ['c', s('d')],
      ['d', s()],
      ['e', s('f')],
      ['f', s('e')],
      ['x', s('x')],
    )
    expectResult('graph.reachable_paths', [components, s('b', 'e')], s(['b', 'd'], ['e', 'f']))
    expectResult(
      'graph.reachable_paths',
      [o(['a', ['b', 'c']], ['b', ['c']], ['c', []]), s('a')],
      s(['a', 'b', 'c'], ['a', 'c']),
    )
    expectResult('graph.reachable_paths', [o(['a', ['b']], ['b', ['nonexistent']]), s('a', 'b')], s(['a', 'b'], ['b']))
    expectResult('graph.reachable_paths', [o(['a', null]), ['a']], s(['a']))
  })

  it('shares the visited set across branches, as OPA 1.4 does', () => {
    const g = o(
      ['one', ['two', 'five']],
      ['two', ['four']],
      ['three', ['']],
      ['four', ['three']],
      ['five', ['seven', 'six']],
      ['six', ['nine', 'seven']],
      ['seven', ['eight']],
      ['eight', ['three']],
      ['nine', ['']],
    )
    const want = s(
      ['one', 'five', 'seven', 'eight', 'three'],
      ['one', 'five', 'six'],
      ['one', 'five', 'six', 'nine'],
      ['one', 'two', 'four', 'three'],
    )
    expectResult('graph.reachable_paths', [g, s('one')], want)
  })

  it('reports operand types', () => {
    expectError('graph.reachable_paths', [1, [1]], 'eval_type_error', 'operand 1 must be object but got number')
    expectError('graph.reachable_paths', [o(), 'a'], 'eval_type_error', 'operand 2 must be {array, set} but got string')
  })
})

describe('graph walks on large graphs', () => {
  it('follow each vertex once and stop at the step bound', () => {
    // A complete graph: every vertex's edges once is n², not n³.
    const complete = (n: number): RegoObject => {
      const all = Array.from({ length: n }, (_, i) => String(i))
      return RegoObject.from(all.map((v) => [v, all]))
    }
    assert.equal(evalBounded('p := count(graph.reachable(input, ["0"]))', { input: complete(150) }), 150)
    expectLimitError('p := count(graph.reachable(input, ["0"]))', { input: complete(400) })
    expectLimitError('p := count(graph.reachable_paths(input, ["0"]))', { input: complete(400) })
  })
})
