import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { toRegoText } from './rego-text.ts'
import { RegoObject, RegoSet } from './value.ts'

describe('toRegoText', () => {
  it('writes scalars', () => {
    assert.equal(toRegoText(null), 'null')
    assert.equal(toRegoText(true), 'true')
    assert.equal(toRegoText(1.5), '1.5')
    assert.equal(toRegoText(123456789123456789123n), '123456789123456789123')
    assert.equal(toRegoText('a"b'), '"a\\"b"')
  })

  it('writes composites in Rego term syntax and OPA order', () => {
    assert.equal(toRegoText([1, 'x', []]), '[1, "x", []]')
    assert.equal(toRegoText(new RegoSet()), 'set()')
    assert.equal(toRegoText(RegoSet.from([2, 1, 'a'])), '{1, 2, "a"}')
    assert.equal(toRegoText(new RegoObject()), '{}')
    assert.equal(
      toRegoText(
        RegoObject.from([
          ['b', RegoSet.from([])],
          [1, [true]],
          ['a', RegoObject.from([['c', null]])],
        ]),
      ),
      '{1: [true], "a": {"c": null}, "b": set()}',
    )
  })
})
