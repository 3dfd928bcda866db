import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { equal } from '../../value/compare.ts'
import { RegoObject, RegoSet, type Value } from '../../value/value.ts'
import { evalBounded, expectLimitError } from '../bounds-test-support.ts'
import { expectError, expectResult } from './test-calls.ts'

const o = (...entries: [Value, Value][]): RegoObject => RegoObject.from(entries)
const s = (...items: Value[]): RegoSet => RegoSet.from(items)

describe('object.union and object.union_n', () => {
  it('merge recursively, the right side winning', () => {
    expectResult(
      'object.union',
      [o(['a', 1], ['b', o(['c', 1])]), o(['b', o(['d', 2])], ['e', 3])],
      o(['a', 1], ['b', o(['c', 1], ['d', 2])], ['e', 3]),
    )
    expectResult('object.union', [o(['a', o(['b', 1])]), o(['a', 2])], o(['a', 2]))
    expectResult('object.union', [o(['a', 2]), o(['a', o(['b', 1])])], o(['a', o(['b', 1])]))
    expectError('object.union', [[], o()], 'eval_type_error', 'operand 1 must be object but got array')
    expectError('object.union', [o(), []], 'eval_type_error', 'operand 2 must be object but got array')
  })

  it('union_n folds left to right', () => {
    expectResult('object.union_n', [[]], o())
    expectResult('object.union_n', [[o()]], o())
    expectResult('object.union_n', [[o(['foo', 'bar']), o(['foo', 'baz'])]], o(['foo', 'baz']))
    expectResult('object.union_n', [[o(['a', o(['b', 2])]), o(['a', 4]), o(['a', o(['c', 3])])]], o(['a', o(['c', 3])]))
    expectResult(
      'object.union_n',
      [[o(['a', o(['b', o(['x', 1])])]), o(['a', o(['b', 5])]), o(['a', o(['c', 3])])]],
      o(['a', o(['b', 5], ['c', 3])]),
    )
    expectError(
      'object.union_n',
      [[o(), 1]],
      'eval_type_error',
      'operand 1 must be array of objects but got array containing number',
    )
    expectError('object.union_n', [s(o())], 'eval_type_error', 'operand 1 must be array but got set')
  })
})

describe('object.remove and object.filter', () => {
  const obj = o(['a', 1], ['b', 2], [3, 'c'])

  it('take keys as an array, set or object', () => {
    expectResult('object.remove', [obj, ['a', 3]], o(['b', 2]))
    expectResult('object.remove', [obj, s('b', 'zzz')], o(['a', 1], [3, 'c']))
    expectResult('object.remove', [obj, o(['a', 'ignored'])], o(['b', 2], [3, 'c']))
    expectResult('object.filter', [obj, ['a', 3, 'x']], o(['a', 1], [3, 'c']))
    expectResult('object.filter', [obj, s()], o())
    expectResult('object.filter', [obj, o(['b', null])], o(['b', 2]))
  })

  it('report operand types', () => {
    expectError('object.remove', ['x', []], 'eval_type_error', 'operand 1 must be object but got string')
    expectError(
      'object.remove',
      [obj, 1],
      'eval_type_error',
      'operand 2 must be one of {object, set, array} but got number',
    )
    expectError('object.filter', [null, []], 'eval_type_error', 'operand 1 must be object but got null')
    expectError(
      'object.filter',
      [obj, 'a'],
      'eval_type_error',
      'operand 2 must be one of {object, set, array} but got string',
    )
  })
})

describe('object.get', () => {
  it('looks up a key or a path', () => {
    expectResult('object.get', [o(['a', 'b']), 'a', 'c'], 'b')
    expectResult('object.get', [o(['a', 'b']), 'x', 'c'], 'c')
    expectResult('object.get', [o([1, 2]), 1, 3], 2)
    expectResult('object.get', [o(['a', 1]), [], 2], o(['a', 1]))
    expectResult('object.get', [o(['a', o(['b', o(['c', 1])])]), ['a', 'b', 'c'], 2], 1)
    expectResult('object.get', [o(['a', o(['b', o(['c', 1])])]), ['a', 'b', 'a'], 2], 2)
    expectResult('object.get', [o([1, o(['b', o([[1, 2, 3], 1])])]), [1, 'b', [1, 2, 3]], 2], 1)
    expectResult('object.get', [o(['a', o(['b', [1, 2, 3]])]), ['a', 'b', 'a'], 2], 2)
    expectResult('object.get', [o(['a', o(['b', [o(['c', 1])]])]), ['a', 'b', 0, 'c'], 2], 1)
    expectResult('object.get', [o(['a', o(['b', [1]])]), ['a', 'b', 1], 2], 2)
    expectResult('object.get', [o(['a', s('x')]), ['a', 'x'], 2], 'x')
    expectResult('object.get', [o(['a', 1]), ['a', 'b'], 2], 2)
    expectResult('object.get', [o(['a', null]), ['a'], 2], null)
    expectError('object.get', ['x', ['a'], 2], 'eval_type_error', 'operand 1 must be object but got string')
  })
})

describe('object.keys', () => {
  it('returns the key set', () => {
    expectResult('object.keys', [o(['a', 1], [[1], 2])], s('a', [1]))
    expectResult('object.keys', [o()], s())
    expectError('object.keys', ['x'], 'eval_type_error', 'operand 1 must be object but got string')
  })
})

describe('object.subset', () => {
  it('matches objects recursively', () => {
    expectResult('object.subset', [o(['a', 1], ['b', 2]), o(['a', 1])], true)
    expectResult('object.subset', [o(['a', 1]), o(['a', 2])], false)
    expectResult('object.subset', [o(['a', o(['b', 1], ['c', 2])]), o(['a', o(['c', 2])])], true)
    expectResult('object.subset', [o(['a', s(1, 2, 3)]), o(['a', s(1, 3)])], true)
    expectResult('object.subset', [o(['a', [1, 2, 3, 4]]), o(['a', [2, 3]])], true)
    expectResult('object.subset', [o(['a', [1, 2, 3, 4]]), o(['a', [2, 4]])], false)
    expectResult('object.subset', [o(['a', [1, 2]]), o(['a', s(1)])], false)
    expectResult('object.subset', [o(), o()], true)
  })

  it('matches sets, arrays (contiguously) and arrays against sets', () => {
    expectResult('object.subset', [s(1, 2, 3), s(1, 3)], true)
    expectResult('object.subset', [s(1, 2), s(4)], false)
    expectResult(
      'object.subset',
      [
        [1, 2, 3],
        [2, 3],
      ],
      true,
    )
    expectResult(
      'object.subset',
      [
        [1, 2, 3],
        [1, 3],
      ],
      false,
    )
    expectResult(
      'object.subset',
      [
        [1, 1, 2],
        [1, 2],
      ],
      true,
    )
    expectResult('object.subset', [[1], []], true)
    expectResult('object.subset', [[1], [1, 1]], false)
    expectResult('object.subset', [[3, 1, 2], s(1, 2)], true)
    expectResult('object.subset', [[3, 1], s(1, 2)], false)
  })

  it('rejects mismatched kinds', () => {
    const msg = 'both arguments object.subset must be of the same type or array and set'
    expectError('object.subset', [s(1), [1]], 'eval_type_error', msg)
    expectError('object.subset', [o(), []], 'eval_type_error', msg)
    expectError('object.subset', [1, 1], 'eval_type_error', msg)
  })
})

describe('object.union and object.union_n merge in one pass', () => {
  it('merge nested objects as a left fold, leaving the operands as they were', () => {
    const a = o(['x', o(['p', 1])], ['y', 1])
    const b = o(['x', o(['q', 2])])
    const c = o(['x', o(['p', 3], ['r', o(['s', 4])])], ['y', o(['t', 5])])
    expectResult('object.union_n', [[a, b, c]], o(['x', o(['p', 3], ['q', 2], ['r', o(['s', 4])])], ['y', o(['t', 5])]))
    expectResult('object.union', [a, b], o(['x', o(['p', 1], ['q', 2])], ['y', 1]))
    expectResult('object.union_n', [[]], o())
    expectResult('object.union_n', [[a]], a)
    expectResult('object.union', [a, c], c)
    assert.ok(equal(a, o(['x', o(['p', 1])], ['y', 1])))
    assert.ok(equal(b, o(['x', o(['q', 2])])))
    assert.ok(equal(c, o(['x', o(['p', 3], ['r', o(['s', 4])])], ['y', o(['t', 5])])))
  })

  it('stop at the step bound on huge objects, and stay linear in many small ones', () => {
    const big = 'o := {x: x | some x in numbers.range(1, 12000)}\n'
    expectLimitError(`${big}p := count([x | some i in numbers.range(1, 10); x := object.union_n([o, {"a": i}])])`)
    expectLimitError(`${big}p := count([x | some i in numbers.range(1, 10); x := object.union(o, {"a": i})])`)
    expectLimitError(`${big}p := count([x | some i in numbers.range(1, 10); x := object.remove(o, {"a"})])`)
    expectLimitError(`${big}p := count([x | some i in numbers.range(1, 10); x := object.keys(o)])`)
    expectLimitError(`${big}p := count([x | some i in numbers.range(1, 10); x := object.filter(o, o)])`)
    assert.equal(
      evalBounded('p := count(object.union_n([{"a": {sprintf("k%d", [i]): i}} | some i in numbers.range(1, 3000)]).a)'),
      3000,
    )
    // Comparisons for a contiguous run: the product of the lengths.
    const arrays =
      'a := [0 | some i in numbers.range(1, 2000)]\nb := array.concat([0 | some i in numbers.range(1, 999)], [1])\n'
    expectLimitError(`${arrays}p := object.subset(a, b)`)
  })
})
