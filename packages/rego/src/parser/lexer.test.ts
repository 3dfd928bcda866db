import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { tokenize } from './lexer.ts'
import { ParseFail } from './parse-fail.ts'

const limits = { maxLineLength: 1000, maxSourceLength: 100_000 }
const kinds = (text: string): string[] => tokenize(text, limits).tokens.map((t) => t.kind)

describe('tokenize', () => {
  it('splits operators, longest match first', () => {
    assert.deepEqual(kinds(':= : == = != <= < >= > + - * / % & | ; , . ( ) [ ] { }'), [
      ':=',
      ':',
      '==',
      '=',
      '!=',
      '<=',
      '<',
      '>=',
      '>',
      '+',
      '-',
      '*',
      '/',
      '%',
      '&',
      '|',
      ';',
      ',',
      '.',
      '(',
      ')',
      '[',
      ']',
      '{',
      '}',
      'eof',
    ])
    assert.deepEqual(kinds('a:=b'), ['ident', ':=', 'ident', 'eof'])
  })

  it('reads words, numbers and strings', () => {
    const { tokens } = tokenize('x_1 if 12.5e-3 "a\\nb" `r\\n`', limits)
    assert.deepEqual(
      tokens.map((t) => [t.kind, t.text, t.value]),
      [
        ['ident', 'x_1', ''],
        ['ident', 'if', ''],
        ['number', '12.5e-3', ''],
        ['string', 'string', 'a\nb'],
        ['string', 'string', 'r\\n'],
        ['eof', '', ''],
      ],
    )
    assert.deepEqual(
      tokens.map((t) => t.keyword),
      [false, true, false, false, false, false],
    )
  })

  it('marks tokens preceded by space and by newlines', () => {
    const { tokens } = tokenize('a b\nc#x\nd[e', limits)
    assert.deepEqual(
      tokens.map((t) => [t.text || t.kind, t.spaced, t.newline]),
      [
        ['a', false, false],
        ['b', true, false],
        ['c', true, true],
        ['d', true, true],
        ['[', false, false],
        ['e', false, false],
        ['eof', false, false],
      ],
    )
  })

  it('counts rows and columns, raw strings spanning lines included', () => {
    const { tokens } = tokenize('a\n  `x\ny` b\n\tc', limits)
    assert.deepEqual(
      tokens.map((t) => [t.row, t.col]),
      [
        [1, 1],
        [2, 3],
        [3, 4],
        [4, 2],
        [4, 3],
      ],
    )
  })

  it('collects comments without `#` and trailing `\\r`', () => {
    const { comments } = tokenize('#a\r\n  # b\n#', limits)
    assert.deepEqual(comments, [
      { text: 'a', row: 1, col: 1 },
      { text: ' b', row: 2, col: 3 },
      { text: '', row: 3, col: 1 },
    ])
  })

  it('turns lexical errors into illegal tokens carrying the message', () => {
    const illegal = (text: string): string =>
      tokenize(text, limits).tokens.find((t) => t.kind === 'illegal')?.value ?? 'none'
    assert.equal(illegal('"abc'), 'non-terminated string')
    assert.equal(illegal('`abc'), 'non-terminated string')
    assert.equal(illegal('"\\x"'), 'illegal escape sequence')
    assert.equal(illegal('1.x'), 'expected fraction')
    assert.equal(illegal('1e+'), 'expected exponent')
    assert.equal(illegal('0x10'), 'illegal number format')
    assert.equal(illegal('!'), 'illegal ! character')
    assert.equal(illegal('~'), '')
    assert.equal(illegal('é'), '')
  })

  it('skips a leading byte-order mark', () => {
    assert.deepEqual(kinds('\ufeffa'), ['ident', 'eof'])
  })

  it('enforces the size limits before tokenizing', () => {
    assert.throws(
      () => tokenize('x'.repeat(11), { maxLineLength: 10, maxSourceLength: 100 }),
      (e) => {
        assert.ok(e instanceof ParseFail)
        assert.equal(e.message, 'line 1 is too long: 11 characters exceeds the limit of 10')
        return true
      },
    )
    assert.throws(() => tokenize('x'.repeat(11), { maxLineLength: 100, maxSourceLength: 10 }), ParseFail)
  })
})
