import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compare, equal } from './compare.ts'
import { RegoObject, RegoSet, type Value } from './value.ts'

const obj = (...entries: [Value, Value][]): RegoObject => RegoObject.from(entries)
const set = (...items: Value[]): RegoSet => RegoSet.from(items)

describe('compare', () => {
  it('orders types null < boolean < number < string < array < object < set', () => {
    const ordered: Value[] = [
      null,
      false,
      true,
      -1,
      0,
      2.5,
      2n ** 60n,
      '',
      'a',
      [],
      [0],
      obj(),
      obj(['a', 1]),
      set(),
      set(1),
    ]
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        const want = i < j ? -1 : i > j ? 1 : 0
        assert.equal(compare(ordered[i] as Value, ordered[j] as Value), want, `${i} vs ${j}`)
      }
    }
  })

  it('compares numbers by value across number and bigint', () => {
    assert.equal(compare(1, 1.0), 0)
    assert.equal(compare(2n ** 60n, 2 ** 60), 0)
    assert.equal(compare(2n ** 60n + 1n, 2 ** 60), 1)
    assert.equal(compare(-(2n ** 60n), -1.5), -1)
    assert.equal(compare(9007199254740993n, 9007199254740992), 1)
    assert.equal(compare(0.1, 0.2), -1)
  })

  it('compares strings by UTF-8 bytes, not UTF-16 units', () => {
    assert.equal(compare('a', 'b'), -1)
    assert.equal(compare('ab', 'a'), 1)
    assert.equal(compare('Z', 'a'), -1)
    // U+FF5E (3 UTF-8 bytes EF BD 9E) sorts before U+1F600 (F0 9F 98 80); UTF-16 says the opposite.
    assert.equal(compare('\uff5e', '\u{1f600}'), -1)
    assert.equal(compare('\u{1f600}', '\uff5e'), 1)
    assert.equal(compare('\u00e9', 'z'), 1)
  })

  it('compares arrays element-wise, then by length', () => {
    assert.equal(compare([1, 2], [1, 3]), -1)
    assert.equal(compare([1, 2], [1]), 1)
    assert.equal(compare([2], [1, 9]), 1)
    assert.equal(compare([[1]], [[1]]), 0)
  })

  it('compares objects by sorted keys, then values, then size', () => {
    assert.equal(compare(obj(['a', 1]), obj(['b', 0])), -1)
    assert.equal(compare(obj(['a', 2]), obj(['a', 1])), 1)
    assert.equal(compare(obj(['a', 1]), obj(['a', 1], ['b', 1])), -1)
    assert.equal(compare(obj(['b', 1], ['a', 1]), obj(['a', 1], ['b', 1])), 0)
    assert.equal(compare(obj([1, 'x']), obj(['a', 'x'])), -1)
  })

  it('compares sets by sorted elements, then size', () => {
    assert.equal(compare(set(3, 1), set(1, 3)), 0)
    assert.equal(compare(set(1, 2), set(1, 3)), -1)
    assert.equal(compare(set(1), set(1, 2)), -1)
    assert.equal(compare(set('a'), set(1, 2)), 1)
  })
})

describe('equal', () => {
  it('treats 1 and 1.0 and equal bigints as equal', () => {
    assert.equal(equal(1, 1.0), true)
    assert.equal(equal(2n ** 64n, 2n ** 64n), true)
    assert.equal(equal(2 ** 60, 2n ** 60n), true)
    assert.equal(equal(28857836529306024611913n, 28857836529306024611912n), false)
    assert.equal(equal(1, '1'), false)
    assert.equal(equal(0, false), false)
    assert.equal(equal(null, false), false)
  })

  it('compares composites structurally', () => {
    assert.equal(equal([1, [2, 'x']], [1.0, [2, 'x']]), true)
    assert.equal(equal([1], [1, 2]), false)
    assert.equal(equal(obj(['a', 1], [[1], 2]), obj([[1.0], 2], ['a', 1])), true)
    assert.equal(equal(obj(['a', null]), obj(['b', null])), false)
    assert.equal(equal(obj(['a', null]), obj(['a', false])), false)
    assert.equal(equal(set(1, 'a'), set('a', 1.0)), true)
    assert.equal(equal(set(1), set(2)), false)
    assert.equal(equal(set(), obj()), false)
    assert.equal(equal([], set()), false)
  })
})
