import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { codePointLength, compareStrings } from './string-order.ts'

function utf8Compare(a: string, b: string): number {
  return Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')))
}

describe('compareStrings', () => {
  it('agrees with UTF-8 byte order on tricky pairs', () => {
    const samples = [
      '',
      'a',
      'ab',
      'b',
      'Z',
      '\u007f',
      '\u0080',
      '\u00e9',
      '\u07ff',
      '\u0800',
      '\ud7ff',
      '\ue000',
      '\uff5e',
      '\uffff',
      '\u{10000}',
      '\u{1f600}',
      '\u{10ffff}',
      'a\u{1f600}',
      'a\uffff',
    ]
    for (const a of samples) {
      for (const b of samples)
        assert.equal(compareStrings(a, b), utf8Compare(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`)
    }
  })
})

describe('codePointLength', () => {
  it('counts code points, not UTF-16 units', () => {
    assert.equal(codePointLength(''), 0)
    assert.equal(codePointLength('abc'), 3)
    assert.equal(codePointLength('\u00e9t\u00e9'), 3)
    assert.equal(codePointLength('\u{1f600}\u{1f600}'), 2)
    assert.equal(codePointLength('a\ud800'), 2)
    assert.equal(codePointLength('\udc00\ud800'), 2)
  })
})
