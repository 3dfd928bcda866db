import { goQuote } from './go-quote.ts'

/**
 * Syntax checking of JSON text with the messages of Go's encoding/json scanner, e.g.
 * `invalid character 'p' looking for beginning of value`.
 */
class JsonSyntaxError extends Error {
  /** True when the input ended inside a value (Go's Decoder says `unexpected EOF`). */
  readonly atEnd: boolean
  constructor(message: string, atEnd: boolean) {
    super(message)
    this.name = 'JsonSyntaxError'
    this.atEnd = atEnd
  }
}

/** The scanner's quoteChar: `'x'`, with `'\''` and `'"'` special. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''"
  if (c === '"') return `'"'`
  const q = goQuote(c)
  return "'" + q.slice(1, -1) + "'"
}

class Scanner {
  pos = 0
  readonly s: string
  constructor(s: string) {
    this.s = s
  }

  fail(context: string): never {
    if (this.pos >= this.s.length) throw new JsonSyntaxError('unexpected end of JSON input', true)
    const c = String.fromCodePoint(this.s.codePointAt(this.pos) as number)
    throw new JsonSyntaxError(`invalid character ${quoteChar(c)} ${context}`, false)
  }

  ws(): void {
    while (this.pos < this.s.length && ' \t\n\r'.includes(this.s[this.pos] as string)) this.pos++
  }

  value(): void {
    this.ws()
    const c = this.s[this.pos]
    switch (c) {
      case '{':
        this.pos++
        this.object()
        return
      case '[':
        this.pos++
        this.array()
        return
      case '"':
        this.pos++
        this.string()
        return
      case 't':
        this.literal('true')
        return
      case 'f':
        this.literal('false')
        return
      case 'n':
        this.literal('null')
        return
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
          this.number()
          return
        }
        this.fail('looking for beginning of value')
    }
  }

  literal(word: string): void {
    for (let i = 0; i < word.length; i++, this.pos++) {
      if (this.s[this.pos] !== word[i]) this.fail(`in literal ${word} (expecting '${word[i]}')`)
    }
  }

  digits(): number {
    const start = this.pos
    while (this.pos < this.s.length && (this.s[this.pos] as string) >= '0' && (this.s[this.pos] as string) <= '9')
      this.pos++
    return this.pos - start
  }

  number(): void {
    if (this.s[this.pos] === '-') {
      this.pos++
      const c = this.s[this.pos]
      if (c === undefined || c < '0' || c > '9') this.fail('in numeric literal')
    }
    if (this.s[this.pos] === '0') this.pos++
    else this.digits()
    if (this.s[this.pos] === '.') {
      this.pos++
      if (this.digits() === 0) this.fail('after decimal point in numeric literal')
    }
    if (this.s[this.pos] === 'e' || this.s[this.pos] === 'E') {
      this.pos++
      if (this.s[this.pos] === '+' || this.s[this.pos] === '-') this.pos++
      if (this.digits() === 0) this.fail('in exponent of numeric literal')
    }
  }

  string(): void {
    for (;;) {
      const c = this.s[this.pos]
      if (c === undefined) this.fail('in string literal')
      if (c === '"') {
        this.pos++
        return
      }
      if (c === '\\') {
        this.pos++
        const e = this.s[this.pos]
        if (e !== undefined && 'bfnrt\\/"'.includes(e)) this.pos++
        else if (e === 'u') {
          this.pos++
          for (let i = 0; i < 4; i++) {
            if (!/[0-9a-fA-F]/.test(this.s[this.pos] ?? '')) this.fail('in \\u hexadecimal character escape')
            this.pos++
          }
        } else this.fail('in string escape code')
        continue
      }
      if (c < ' ') this.fail('in string literal')
      this.pos++
    }
  }

  object(): void {
    this.ws()
    if (this.s[this.pos] === '}') {
      this.pos++
      return
    }
    for (;;) {
      this.ws()
      if (this.s[this.pos] !== '"') this.fail('looking for beginning of object key string')
      this.pos++
      this.string()
      this.ws()
      if (this.s[this.pos] !== ':') this.fail('after object key')
      this.pos++
      this.value()
      this.ws()
      const c = this.s[this.pos]
      if (c === '}') {
        this.pos++
        return
      }
      if (c !== ',') this.fail('after object key:value pair')
      this.pos++
    }
  }

  array(): void {
    this.ws()
    if (this.s[this.pos] === ']') {
      this.pos++
      return
    }
    for (;;) {
      this.value()
      this.ws()
      const c = this.s[this.pos]
      if (c === ']') {
        this.pos++
        return
      }
      if (c !== ',') this.fail('after array element')
      this.pos++
    }
  }
}

/** json.Valid. */
export function isValidJson(s: string): boolean {
  try {
    const sc = new Scanner(s)
    sc.value()
    sc.ws()
    return sc.pos === s.length
  } catch (e) {
    if (e instanceof JsonSyntaxError) return false
    throw e
  }
}

/**
 * What OPA's util.UnmarshalJSON reports for `s` (a json.Decoder reading one value, then
 * rejecting a second token), or undefined when it accepts it. `end` is where the first value
 * stops.
 */
export function checkJsonDocument(s: string): { error?: string; end: number } {
  const sc = new Scanner(s)
  sc.ws()
  if (sc.pos === s.length) return { error: 'EOF', end: 0 }
  try {
    sc.value()
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e
    return { error: e.atEnd ? 'unexpected EOF' : e.message, end: sc.pos }
  }
  const end = sc.pos
  sc.ws()
  if (sc.pos === s.length) return { end }
  const start = sc.pos
  const c = s[start] as string
  if (c === '{' || c === '[') return { error: `error: invalid character '${c}' after top-level value`, end }
  try {
    sc.value()
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e
    return { error: e.atEnd ? 'unexpected EOF' : e.message, end }
  }
  const token = s.slice(start, sc.pos)
  if (token === 'null') return { end }
  let text = token
  if (token.startsWith('"')) text = JSON.parse(token) as string
  else if (token === 'true' || token === 'false') text = `%!s(bool=${token})`
  return { error: `error: invalid character '${text}' after top-level value`, end }
}
