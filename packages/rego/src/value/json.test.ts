import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { RegoError } from '../errors.ts'
import { equal } from './compare.ts'
import { fromJS, parseJson, toJS, toJsonText } from './json.ts'
import { RegoObject, RegoSet, type Value } from './value.ts'

describe('parseJson', () => {
  it('parses every JSON type', () => {
    const v = parseJson('{"a": [1, 2.5, "x", true, false, null], "b": {}}')
    assert.ok(v instanceof RegoObject)
    assert.ok(
      equal(
        v,
        RegoObject.from([
          ['a', [1, 2.5, 'x', true, false, null]],
          ['b', new RegoObject()],
        ]),
      ),
    )
  })

  it('keeps integers beyond 2^53 exact', () => {
    assert.equal(parseJson('9223372036854775807'), 9223372036854775807n)
    assert.equal(parseJson('-18446744073709551614'), -18446744073709551614n)
    const v = parseJson('{"n": [1693566990121469600, 28857836529306024611913, 1.5]}')
    assert.ok(equal(v, RegoObject.from([['n', [1693566990121469600n, 28857836529306024611913n, 1.5]]])))
    // A safe integer with 16 digits stays a number.
    assert.equal(parseJson('1234567890123456'), 1234567890123456)
  })

  it('handles strings with escapes, including on the lossless path', () => {
    assert.equal(parseJson('"a\\"b\\u00e9\\n"'), 'a"b\u00e9\n')
    const v = parseJson('["\\ud83d\\ude00", 12345678901234567890, "x\\/y"]')
    assert.ok(equal(v, ['\u{1f600}', 12345678901234567890n, 'x/y']))
    assert.ok(
      equal(
        parseJson(' { "k" : [ ] , "j" : { } } ' + '\n'),
        RegoObject.from([
          ['k', []],
          ['j', new RegoObject()],
        ]),
      ),
    )
  })

  it('never yields -0', () => {
    assert.equal(Object.is(parseJson('-0'), 0), true)
    const arr = parseJson('[-0, -0.0, 12345678901234567890]') as Value[]
    assert.equal(Object.is(arr[0], 0), true)
    assert.equal(Object.is(arr[1], 0), true)
  })

  it('rejects invalid JSON with a RegoError', () => {
    const bad = [
      '',
      '{',
      '[1,]',
      '{"a" 1}',
      'tru',
      '01',
      '"\\x"',
      '[1] 2',
      '{1: 2}',
      'NaN',
      '12345678901234567890 x',
      '[12345678901234567890,]',
    ]
    for (const text of bad) {
      assert.throws(
        () => parseJson(text),
        (e: unknown) => e instanceof RegoError,
        text,
      )
    }
  })
})

describe('fromJS and toJS', () => {
  it('converts plain JS to values and back', () => {
    const v = fromJS({ b: [1, null], a: { c: 'd' }, big: 2n ** 70n, small: 5n })
    assert.ok(v instanceof RegoObject)
    assert.deepEqual(v.keys(), ['a', 'b', 'big', 'small'])
    assert.equal(v.get('small'), 5)
    assert.deepEqual(toJS(v), { a: { c: 'd' }, b: [1, null], big: 2n ** 70n, small: 5 })
  })

  it('rejects values JSON cannot hold', () => {
    assert.throws(() => fromJS(Number.NaN), RegoError)
    assert.throws(() => fromJS(Infinity), RegoError)
    assert.throws(() => fromJS(() => 1), RegoError)
    assert.throws(() => fromJS(undefined), RegoError)
  })

  it('converts maps with non-string keys', () => {
    const v = fromJS(
      new Map<unknown, unknown>([
        [1, 'a'],
        ['x', [true]],
      ]),
    )
    assert.ok(v instanceof RegoObject)
    assert.equal(v.get(1), 'a')
  })

  it('writes sets as sorted arrays and non-string keys as their JSON text', () => {
    const v = RegoObject.from([
      [1, RegoSet.from(['b', 'a'])],
      [[1, 'x'], null],
      ['__proto__', 1],
    ])
    const js = toJS(v) as Record<string, unknown>
    assert.deepEqual(Object.keys(js), ['1', '__proto__', '[1,"x"]'])
    assert.deepEqual(js['1'], ['a', 'b'])
    assert.equal(Object.getPrototypeOf(js), Object.prototype)
  })
})

describe('toJsonText', () => {
  it('writes compact JSON in OPA order', () => {
    const v = RegoObject.from([
      ['b', [1, 2.5, 12345678901234567890n]],
      ['a', RegoSet.from([3, 1])],
      [2, 'two'],
      ['s', 'q"\n'],
    ])
    assert.equal(toJsonText(v), '{"2":"two","a":[1,3],"b":[1,2.5,12345678901234567890],"s":"q\\"\\n"}')
    assert.equal(toJsonText(new RegoObject()), '{}')
    assert.equal(toJsonText(new RegoSet()), '[]')
    assert.equal(toJsonText(null), 'null')
    assert.equal(toJsonText(false), 'false')
  })

  it('indents nested values', () => {
    const v = RegoObject.from([
      ['a', [1, RegoObject.from([['b', true]])]],
      ['e', []],
    ])
    assert.equal(toJsonText(v, 2), '{\n  "a": [\n    1,\n    {\n      "b": true\n    }\n  ],\n  "e": []\n}')
  })

  it('round-trips through parseJson', () => {
    const text = '{"a":[1,2.5,-3,"\\u00e9",null,true],"b":{"c":123456789012345678901234567890}}'
    assert.equal(toJsonText(parseJson(text)), text.replace('\\u00e9', '\u00e9'))
  })
})
