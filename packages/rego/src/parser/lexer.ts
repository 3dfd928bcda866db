import { BASE_KEYWORDS, FUTURE_KEYWORDS } from './keywords.ts'
import { ParseFail } from './parse-fail.ts'
import { decodeEscapedString } from './string-literal.ts'
import type { Token, TokenKind } from './token.ts'

export interface LexedComment {
  /** The comment without its leading `#` (and without a trailing `\r`). */
  readonly text: string
  readonly row: number
  readonly col: number
}

export interface LexResult {
  /** Every token, ending with one `eof` token. */
  readonly tokens: Token[]
  readonly comments: LexedComment[]
}

export interface LexLimits {
  readonly maxLineLength: number
  readonly maxSourceLength: number
}

const KEYWORD_WORDS: ReadonlySet<string> = new Set([...BASE_KEYWORDS, ...FUTURE_KEYWORDS])

const CH_NL = 10
const CH_CR = 13
const CH_SPACE = 32
const CH_TAB = 9

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95
}
function isDecimal(c: number): boolean {
  return c >= 48 && c <= 57
}

/** Rejects oversized sources and lines before any tokenizing work. */
function checkLimits(text: string, limits: LexLimits): void {
  if (text.length > limits.maxSourceLength) {
    throw new ParseFail(
      `source is too long: ${text.length} characters exceeds the limit of ${limits.maxSourceLength}`,
      1,
      1,
    )
  }
  let lineStart = 0
  let row = 1
  for (;;) {
    const nl = text.indexOf('\n', lineStart)
    const end = nl < 0 ? text.length : nl
    if (end - lineStart > limits.maxLineLength) {
      throw new ParseFail(
        `line ${row} is too long: ${end - lineStart} characters exceeds the limit of ${limits.maxLineLength}`,
        row,
        1,
      )
    }
    if (nl < 0) return
    lineStart = nl + 1
    row++
  }
}

/** Splits Rego source into tokens and comments, following OPA's scanner. */
export function tokenize(text: string, limits: LexLimits): LexResult {
  checkLimits(text, limits)
  const tokens: Token[] = []
  const comments: LexedComment[] = []
  const n = text.length
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0
  let row = 1
  let lineStart = 0
  let spaced = false
  let newline = false

  const push = (kind: TokenKind, start: number, end: number, value: string, tokRow: number, col: number): void => {
    const word = kind === 'ident' || kind === 'number' || kind === 'illegal' ? text.slice(start, end) : kind
    const keyword = kind === 'ident' && KEYWORD_WORDS.has(word)
    tokens.push({ kind, text: word, value, row: tokRow, col, spaced, newline, keyword, loc: undefined })
    spaced = false
    newline = false
  }

  while (pos < n) {
    const c = text.charCodeAt(pos)
    if (c === CH_NL) {
      pos++
      row++
      lineStart = pos
      spaced = true
      newline = true
      continue
    }
    if (c === CH_SPACE || c === CH_TAB || c === CH_CR) {
      pos++
      spaced = true
      continue
    }
    const start = pos
    const col = pos - lineStart + 1
    if (c === 35 /* # */) {
      let end = text.indexOf('\n', pos)
      if (end < 0) end = n
      pos = end
      const trimmed = end > start + 1 && text.charCodeAt(end - 1) === CH_CR ? end - 1 : end
      comments.push({ text: text.slice(start + 1, trimmed), row, col })
      spaced = true
      continue
    }
    if (isLetter(c)) {
      pos++
      while (pos < n) {
        const d = text.charCodeAt(pos)
        if (!isLetter(d) && !isDecimal(d)) break
        pos++
      }
      push('ident', start, pos, '', row, col)
      continue
    }
    if (isDecimal(c)) {
      const error = scanNumber()
      push(error ? 'illegal' : 'number', start, pos, error, row, col)
      continue
    }
    if (c === 34 /* " */) {
      const startRow = row
      const result = scanString()
      push(result.error ? 'illegal' : 'string', start, pos, result.error || result.value, startRow, col)
      continue
    }
    if (c === 96 /* ` */) {
      const startRow = row
      const end = text.indexOf('`', pos + 1)
      if (end < 0) {
        advanceTo(n)
        push('illegal', start, pos, 'non-terminated string', startRow, col)
      } else {
        advanceTo(end + 1)
        push('string', start, pos, text.slice(start + 1, end), startRow, col)
      }
      continue
    }
    pos++
    const next = pos < n ? text.charCodeAt(pos) : -1
    let kind: TokenKind | undefined
    let message = ''
    switch (c) {
      case 91:
        kind = '['
        break
      case 93:
        kind = ']'
        break
      case 123:
        kind = '{'
        break
      case 125:
        kind = '}'
        break
      case 40:
        kind = '('
        break
      case 41:
        kind = ')'
        break
      case 44:
        kind = ','
        break
      case 59:
        kind = ';'
        break
      case 46:
        kind = '.'
        break
      case 43:
        kind = '+'
        break
      case 45:
        kind = '-'
        break
      case 42:
        kind = '*'
        break
      case 47:
        kind = '/'
        break
      case 37:
        kind = '%'
        break
      case 38:
        kind = '&'
        break
      case 124:
        kind = '|'
        break
      case 58:
        kind = next === 61 ? ':=' : ':'
        break
      case 61:
        kind = next === 61 ? '==' : '='
        break
      case 60:
        kind = next === 61 ? '<=' : '<'
        break
      case 62:
        kind = next === 61 ? '>=' : '>'
        break
      case 33:
        if (next === 61) kind = '!='
        else message = 'illegal ! character'
        break
      case 36:
        message = 'illegal $ character'
        break
      case 0:
        // regorus stops reading at a NUL, and its Kata vector large.rego ends with one: accept
        // NULs (and whitespace) at the very end; OPA's error for any other NUL.
        if (/^[\0\s]*$/.test(text.slice(start))) {
          pos = n
          continue
        }
        message = 'illegal null character'
        break
      case 0xfeff:
        message = 'illegal byte-order mark'
        break
      default:
        // One whole code point, so that the next token starts on a boundary.
        if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) pos++
    }
    if (kind !== undefined && kind.length === 2) pos++
    push(kind ?? 'illegal', start, pos, message, row, col)
  }
  tokens.push({
    kind: 'eof',
    text: '',
    value: '',
    row,
    col: pos - lineStart + 1,
    spaced,
    newline,
    keyword: false,
    loc: undefined,
  })
  return { tokens, comments }

  /** Moves to `end`, counting the newlines crossed (raw strings span lines). */
  function advanceTo(end: number): void {
    for (let nl = text.indexOf('\n', pos); nl >= 0 && nl < end; nl = text.indexOf('\n', nl + 1)) {
      row++
      lineStart = nl + 1
    }
    pos = end
  }

  /** Scans a number literal at `pos`; returns the scanner's error message or ''. */
  function scanNumber(): string {
    let error = ''
    while (pos < n && isDecimal(text.charCodeAt(pos))) pos++
    if (text.charCodeAt(pos) === 46 /* . */) {
      pos++
      const digits = pos
      while (pos < n && isDecimal(text.charCodeAt(pos))) pos++
      if (pos === digits) error ||= 'expected fraction'
    }
    const e = text.charCodeAt(pos)
    if (e === 101 || e === 69) {
      pos++
      const sign = text.charCodeAt(pos)
      if (sign === 43 || sign === 45) pos++
      const digits = pos
      while (pos < n && isDecimal(text.charCodeAt(pos))) pos++
      if (pos === digits) error ||= 'expected exponent'
    }
    if (pos < n && isLetter(text.charCodeAt(pos))) {
      error ||= 'illegal number format'
      while (pos < n && (isLetter(text.charCodeAt(pos)) || isDecimal(text.charCodeAt(pos)))) pos++
    }
    return error
  }

  /** Scans a double-quoted string at `pos` (on the opening quote). */
  function scanString(): { value: string; error: string } {
    const start = pos
    pos++
    let escaped = false
    let error = ''
    for (;;) {
      if (pos >= n || text.charCodeAt(pos) === CH_NL) {
        return { value: '', error: 'non-terminated string' }
      }
      const c = text.charCodeAt(pos)
      pos++
      if (c === 34) break
      if (c === 92 /* \ */) {
        escaped = true
        const e = pos < n ? text.charCodeAt(pos) : -1
        if (e === 117 /* u */) {
          // Like OPA, skip `u` and three more characters blindly (the fourth goes through the
          // loop); decoding validates the hex digits afterwards.
          for (let k = 0; k < 4 && pos < n && text.charCodeAt(pos) !== CH_NL; k++) pos++
        } else if (e === 92 || e === 34 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) {
          pos++
        } else {
          error ||= 'illegal escape sequence'
        }
      }
    }
    if (error) return { value: '', error }
    if (!escaped) return { value: text.slice(start + 1, pos - 1), error: '' }
    const decoded = decodeEscapedString(text, start + 1, pos - 1)
    if (decoded === undefined) return { value: '', error: `illegal string literal: ${text.slice(start, pos)}` }
    return { value: decoded, error: '' }
  }
}
