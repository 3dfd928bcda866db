import { GqlError, type Position } from './ast.ts'
import { goQuote } from './go-quote.ts'

export type TokenKind =
  | 'Invalid'
  | 'EOF'
  | 'Bang'
  | 'Dollar'
  | 'Amp'
  | 'ParenL'
  | 'ParenR'
  | 'Spread'
  | 'Colon'
  | 'Equals'
  | 'At'
  | 'BracketL'
  | 'BracketR'
  | 'BraceL'
  | 'BraceR'
  | 'Pipe'
  | 'Name'
  | 'Int'
  | 'Float'
  | 'String'
  | 'BlockString'

/** How gqlparser prints a token kind in messages (`Expected Name, found <EOF>`). */
const KIND_TEXT: Record<TokenKind, string> = {
  Invalid: '<Invalid>',
  EOF: '<EOF>',
  Bang: '!',
  Dollar: '$',
  Amp: '&',
  ParenL: '(',
  ParenR: ')',
  Spread: '...',
  Colon: ':',
  Equals: '=',
  At: '@',
  BracketL: '[',
  BracketR: ']',
  BraceL: '{',
  BraceR: '}',
  Pipe: '|',
  Name: 'Name',
  Int: 'Int',
  Float: 'Float',
  String: 'String',
  BlockString: 'BlockString',
}

export function kindText(kind: TokenKind): string {
  return KIND_TEXT[kind]
}

export interface Token {
  readonly kind: TokenKind
  readonly value: string
  readonly pos: Position
}

export function tokenText(t: Token): string {
  return t.value !== '' ? `${KIND_TEXT[t.kind]} ${goQuote(t.value)}` : KIND_TEXT[t.kind]
}

const PUNCTUATORS: Record<string, TokenKind> = {
  '!': 'Bang',
  $: 'Dollar',
  '&': 'Amp',
  '(': 'ParenL',
  ')': 'ParenR',
  ':': 'Colon',
  '=': 'Equals',
  '@': 'At',
  '[': 'BracketL',
  ']': 'BracketR',
  '{': 'BraceL',
  '}': 'BraceR',
  '|': 'Pipe',
}

function isNameStart(c: string | undefined): boolean {
  return c !== undefined && /[_A-Za-z]/.test(c)
}

function isNameChar(c: string | undefined): boolean {
  return c !== undefined && /[_0-9A-Za-z]/.test(c)
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9'
}

/**
 * gqlparser's lexer. Offsets are UTF-16 indexes; columns count code points, as Go counts runes.
 * A lexing error yields an Invalid token plus the error, which the parser only reports if it
 * consumes that token.
 */
export class Lexer {
  private readonly input: string
  private start = 0
  private startRunes = 0
  private end = 0
  private endRunes = 0
  private line = 1
  private lineStartRunes = 0

  constructor(input: string) {
    this.input = input
  }

  private token(kind: TokenKind, value: string): Token {
    return { kind, value, pos: { line: this.line, column: this.startRunes - this.lineStartRunes + 1 } }
  }

  private error(message: string): [Token, GqlError] {
    const column = this.endRunes - this.lineStartRunes + 1
    return [
      { kind: 'Invalid', value: '', pos: { line: this.line, column } },
      new GqlError(message, { line: this.line, column }),
    ]
  }

  private advance(units: number, runes = units): void {
    this.end += units
    this.endRunes += runes
  }

  readToken(): [Token, GqlError | undefined] {
    for (;;) {
      this.skipWhitespace()
      this.start = this.end
      this.startRunes = this.endRunes
      const input = this.input
      if (this.end >= input.length) return [this.token('EOF', ''), undefined]
      const c = input[this.start] as string
      this.advance(1)
      const punct = PUNCTUATORS[c]
      if (punct) return [this.token(punct, ''), undefined]
      if (c === '.' && input.startsWith('...', this.start)) {
        this.advance(2)
        return [this.token('Spread', ''), undefined]
      }
      if (c === '#') {
        this.skipComment()
        continue
      }
      if (isNameStart(c)) return this.readName()
      if (c === '-' || isDigit(c)) return this.readNumber()
      if (c === '"') return input.startsWith('"""', this.start) ? this.readBlockString() : this.readString()
      this.end--
      this.endRunes--
      const code = c.charCodeAt(0)
      if (code < 0x20 && c !== '\t' && c !== '\n' && c !== '\r') {
        return this.error(`Cannot contain the invalid character "\\u${String(code).padStart(4, '0')}"`)
      }
      if (c === "'") {
        return this.error(`Unexpected single quote character ('), did you mean to use a double quote (")?`)
      }
      const cp = String.fromCodePoint(input.codePointAt(this.start) ?? 0)
      return this.error(`Cannot parse the unexpected character "${cp}".`)
    }
  }

  private newline(): void {
    this.line++
    this.lineStartRunes = this.endRunes
  }

  private skipWhitespace(): void {
    const input = this.input
    while (this.end < input.length) {
      const c = input[this.end]
      if (c === '\t' || c === ' ' || c === ',' || c === '\ufeff') {
        this.advance(1)
      } else if (c === '\n') {
        this.advance(1)
        this.newline()
      } else if (c === '\r') {
        this.advance(1)
        this.newline()
        if (input[this.end] === '\n') this.advance(1)
      } else {
        return
      }
    }
  }

  private skipComment(): void {
    const input = this.input
    while (this.end < input.length) {
      const cp = input.codePointAt(this.end) ?? 0
      if (cp > 0x1f || cp === 0x09) this.advance(cp > 0xffff ? 2 : 1, 1)
      else break
    }
  }

  private readName(): [Token, undefined] {
    while (this.end < this.input.length && isNameChar(this.input[this.end])) this.advance(1)
    return [this.token('Name', this.input.slice(this.start, this.end)), undefined]
  }

  private acceptDigits(): number {
    let n = 0
    while (isDigit(this.input[this.end])) {
      this.advance(1)
      n++
    }
    return n
  }

  private describeNext(): string {
    const c = this.input[this.end]
    return c === undefined ? '<EOF>' : `"${c}"`
  }

  private readNumber(): [Token, GqlError | undefined] {
    this.end--
    this.endRunes--
    let isFloat = false
    if (this.input[this.end] === '-') this.advance(1)
    if (this.input[this.end] === '0') {
      this.advance(1)
      const consumed = this.acceptDigits()
      if (consumed !== 0) {
        this.end -= consumed
        this.endRunes -= consumed
        return this.error(`Invalid number, unexpected digit after 0: ${this.describeNext()}.`)
      }
    } else if (this.acceptDigits() === 0) {
      return this.error(`Invalid number, expected digit but got: ${this.describeNext()}.`)
    }
    if (this.input[this.end] === '.') {
      isFloat = true
      this.advance(1)
      if (this.acceptDigits() === 0)
        return this.error(`Invalid number, expected digit but got: ${this.describeNext()}.`)
    }
    const e = this.input[this.end]
    if (e === 'e' || e === 'E') {
      isFloat = true
      this.advance(1)
      const sign = this.input[this.end]
      if (sign === '-' || sign === '+') this.advance(1)
      if (this.acceptDigits() === 0)
        return this.error(`Invalid number, expected digit but got: ${this.describeNext()}.`)
    }
    return [this.token(isFloat ? 'Float' : 'Int', this.input.slice(this.start, this.end)), undefined]
  }

  private readString(): [Token, GqlError | undefined] {
    const input = this.input
    this.start++
    this.startRunes++
    let buf: string | undefined
    while (this.end < input.length) {
      const c = input[this.end] as string
      if (c === '\n' || c === '\r') break
      const code = c.charCodeAt(0)
      if (code < 0x20 && c !== '\t')
        return this.error(`Invalid character within String: "\\u${String(code).padStart(4, '0')}".`)
      if (c === '"') {
        const t = this.token('String', buf ?? input.slice(this.start, this.end))
        this.advance(1)
        return [t, undefined]
      }
      if (c === '\\') {
        if (this.end + 1 >= input.length) {
          this.advance(1)
          return this.error('Invalid character escape sequence.')
        }
        buf ??= input.slice(this.start, this.end)
        const esc = input[this.end + 1] as string
        if (esc === 'u') {
          if (this.end + 6 >= input.length) {
            this.advance(1)
            return this.error(`Invalid character escape sequence: \\${input.slice(this.end)}.`)
          }
          const hex = input.slice(this.end + 2, this.end + 6)
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            this.advance(1)
            return this.error(`Invalid character escape sequence: \\${input.slice(this.end, this.end + 5)}.`)
          }
          buf += String.fromCharCode(parseInt(hex, 16))
          this.advance(6)
          continue
        }
        const simple: Record<string, string> = {
          '"': '"',
          '/': '/',
          '\\': '\\',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        }
        const rep = simple[esc]
        if (rep === undefined) {
          this.advance(1)
          return this.error(`Invalid character escape sequence: \\${esc}.`)
        }
        buf += rep
        this.advance(2)
        continue
      }
      const cp = input.codePointAt(this.end) ?? 0
      const units = cp > 0xffff ? 2 : 1
      if (buf !== undefined) buf += input.slice(this.end, this.end + units)
      this.advance(units, 1)
    }
    return this.error('Unterminated string.')
  }

  private readBlockString(): [Token, GqlError | undefined] {
    const input = this.input
    this.start += 3
    this.startRunes += 3
    this.advance(2)
    let buf = ''
    while (this.end < input.length) {
      const c = input[this.end] as string
      if (c === '"' && input.startsWith('"""', this.end)) {
        const t = this.token('BlockString', blockStringValue(buf))
        this.advance(3)
        return [t, undefined]
      }
      const code = c.charCodeAt(0)
      if (code < 0x20 && c !== '\t' && c !== '\n' && c !== '\r') {
        return this.error(`Invalid character within String: "\\u${String(code).padStart(4, '0')}".`)
      }
      if (c === '\\' && input.startsWith('\\"""', this.end)) {
        buf += '"""'
        this.advance(4)
      } else if (c === '\r') {
        if (input[this.end + 1] === '\n') this.advance(1)
        buf += '\n'
        this.advance(1)
        this.newline()
      } else {
        const cp = input.codePointAt(this.end) ?? 0
        const units = cp > 0xffff ? 2 : 1
        buf += input.slice(this.end, this.end + units)
        this.advance(units, 1)
        if (c === '\n') this.newline()
      }
    }
    return this.error('Unterminated string.')
  }
}

const ALL_WHITESPACE = Number.MAX_SAFE_INTEGER

function leadingWhitespace(line: string): number {
  for (let i = 0; i < line.length; i++) {
    if (line[i] !== ' ' && line[i] !== '\t') return i
  }
  return ALL_WHITESPACE
}

/** The spec's BlockStringValue: remove the common indentation and blank first/last lines. */
export function blockStringValue(raw: string): string {
  const lines = raw.split('\n')
  let common = ALL_WHITESPACE
  for (const line of lines.slice(1)) {
    const indent = leadingWhitespace(line)
    if (indent < line.length && indent < common) {
      common = indent
      if (common === 0) break
    }
  }
  if (common !== ALL_WHITESPACE) {
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string
      lines[i] = line.length < common ? '' : line.slice(common)
    }
  }
  let start = 0
  let end = lines.length
  while (start < end && leadingWhitespace(lines[start] as string) === ALL_WHITESPACE) start++
  while (start < end && leadingWhitespace(lines[end - 1] as string) === ALL_WHITESPACE) end--
  return lines.slice(start, end).join('\n')
}
