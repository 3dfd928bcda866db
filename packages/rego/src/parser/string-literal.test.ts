import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decodeEscapedString } from './string-literal.ts'

const decode = (inner: string): string | undefined => decodeEscapedString(inner, 0, inner.length)

describe('decodeEscapedString', () => {
  it('decodes the JSON escapes', () => {
    assert.equal(decode('\\"\\\\\\/\\b\\f\\n\\r\\t'), '"\\/\b\f\n\r\t')
    assert.equal(decode('a\\u0041b\\u00E9'), 'aAbé')
  })

  it('joins surrogate pairs and replaces lone surrogates like Go', () => {
    assert.equal(decode('\\uD83D\\uDE00'), '😀')
    assert.equal(decode('\\uD83Dx'), '\ufffdx')
    assert.equal(decode('\\uDE00'), '\ufffd')
    assert.equal(decode('\\uD83D\\u0041'), '\ufffdA')
  })

  it('rejects what JSON rejects', () => {
    assert.equal(decode('\\u12'), undefined)
    assert.equal(decode('\\u12g4'), undefined)
    assert.equal(decode('\\x'), undefined)
    assert.equal(decode('tab\there\\n'), undefined)
  })

  it('decodes a slice of a larger text', () => {
    assert.equal(decodeEscapedString('xx"a\\nb"yy', 3, 7), 'a\nb')
  })
})
