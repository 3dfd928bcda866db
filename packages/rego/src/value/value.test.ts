import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { equal } from './compare.ts'
import { isNumber, isObject, isSet, keyOf, RegoObject, RegoSet, typeName, typeRank, type Value } from './value.ts'

describe('typeName and typeRank', () => {
  it('names every kind of value', () => {
    const cases: [Value, string, number][] = [
      [null, 'null', 0],
      [true, 'boolean', 1],
      [1.5, 'number', 2],
      [2n ** 70n, 'number', 2],
      ['s', 'string', 3],
      [[], 'array', 4],
      [new RegoObject(), 'object', 5],
      [new RegoSet(), 'set', 6],
    ]
    for (const [v, name, rank] of cases) {
      assert.equal(typeName(v), name)
      assert.equal(typeRank(v), rank)
    }
    assert.equal(isNumber(3n), true)
    assert.equal(isNumber('3'), false)
    assert.equal(isObject(new RegoObject()), true)
    assert.equal(isSet(new RegoObject()), false)
  })
})

describe('keyOf', () => {
  it('gives equal values the same key and different values different keys', () => {
    assert.equal(keyOf(1), keyOf(1.0))
    assert.equal(keyOf(2 ** 60), keyOf(2n ** 60n))
    assert.notEqual(keyOf(1), keyOf('1'))
    assert.notEqual(keyOf(null), keyOf('n'))
    assert.notEqual(keyOf(true), keyOf('t'))
    assert.notEqual(keyOf([1, 2]), keyOf([[1, 2]]))
    assert.notEqual(keyOf(['a,b']), keyOf(['a', 'b']))
    assert.equal(
      keyOf(
        RegoObject.from([
          ['b', 1],
          ['a', 2],
        ]),
      ),
      keyOf(
        RegoObject.from([
          ['a', 2],
          ['b', 1],
        ]),
      ),
    )
    assert.equal(keyOf(RegoSet.from([2, 1])), keyOf(RegoSet.from([1, 2])))
    assert.notEqual(keyOf(RegoSet.from([1])), keyOf([1]))
    assert.notEqual(keyOf(RegoObject.from([[1, 2]])), keyOf(RegoObject.from([['1', 2]])))
  })
})

describe('RegoObject', () => {
  it('accepts any value as key, compared structurally', () => {
    const o = new RegoObject()
    o.set(1, 'one')
      .set('1', 'string one')
      .set([1, 2], 'array')
      .set(RegoSet.from(['x']), 'set')
      .set(null, 'null')
    assert.equal(o.size, 5)
    assert.equal(o.get(1.0), 'one')
    assert.equal(o.get('1'), 'string one')
    assert.equal(o.get([1, 2]), 'array')
    assert.equal(o.get(RegoSet.from(['x'])), 'set')
    assert.equal(o.get(null), 'null')
    assert.equal(o.get(2), undefined)
    assert.equal(o.has([1, 2]), true)
    assert.equal(o.has([2, 1]), false)
    o.set(1.0, 'uno')
    assert.equal(o.size, 5)
    assert.equal(o.get(1), 'uno')
  })

  it('iterates in OPA key order (not insertion order, not JS integer-key order)', () => {
    const o = new RegoObject()
    for (const k of ['b', '10', 'a', '2', '', 'B']) o.set(k, k)
    assert.deepEqual(o.keys(), ['', '10', '2', 'B', 'a', 'b'])
    const mixed = RegoObject.from([
      [[1], 'arr'],
      ['s', 'str'],
      [2, 'two'],
      [true, 'bool'],
      [null, 'null'],
      [1, 'one'],
      [RegoObject.from([['k', 1]]), 'obj'],
    ])
    assert.deepEqual(mixed.values(), ['null', 'bool', 'one', 'two', 'str', 'arr', 'obj'])
  })

  it('sorts string keys by UTF-8 bytes', () => {
    const o = RegoObject.from([
      ['\u{1f600}', 1],
      ['\uff5e', 2],
      ['z', 3],
    ])
    assert.deepEqual(o.keys(), ['z', '\uff5e', '\u{1f600}'])
  })

  it('deletes keys and updates the iteration order', () => {
    const o = RegoObject.from([
      ['a', 1],
      [5, 2],
    ])
    assert.deepEqual(o.keys(), [5, 'a'])
    assert.equal(o.delete(5), true)
    assert.equal(o.delete(5), false)
    assert.deepEqual(o.keys(), ['a'])
    assert.equal(o.delete('a'), true)
    assert.equal(o.size, 0)
    assert.equal(o.hasOnlyStringKeys(), true)
  })

  it('clones without sharing later changes', () => {
    const o = RegoObject.from([
      ['a', 1],
      [[1], 2],
    ])
    const c = o.clone()
    c.set('b', 3).delete([1])
    assert.deepEqual(o.keys(), ['a', [1]])
    assert.deepEqual(c.keys(), ['a', 'b'])
    assert.equal(o.hasOnlyStringKeys(), false)
    assert.equal(c.hasOnlyStringKeys(), true)
  })
})

describe('RegoSet', () => {
  it('keeps one element per value', () => {
    const s = RegoSet.from([1, 1.0, '1', [1], [1.0], null, null])
    assert.equal(s.size, 4)
    assert.equal(s.has(1), true)
    assert.equal(s.has([1]), true)
    assert.equal(s.has(2), false)
  })

  it('iterates in OPA order', () => {
    const s = RegoSet.from(['b', [0], 3, 'a', false, 1.5, RegoSet.from([1])])
    assert.ok(equal([...s.values()], [false, 1.5, 3, 'a', 'b', [0], RegoSet.from([1])]))
    assert.equal(s.values()[6] instanceof RegoSet, true)
  })

  it('deletes and clones', () => {
    const s = RegoSet.from(['a', 1])
    const c = s.clone().add('b')
    assert.equal(s.delete(1), true)
    assert.deepEqual(s.values(), ['a'])
    assert.deepEqual(c.values(), [1, 'a', 'b'])
    assert.equal(equal(c, RegoSet.from(['b', 'a', 1])), true)
  })
})
