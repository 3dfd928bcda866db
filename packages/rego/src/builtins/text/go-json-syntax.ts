import { decimalWordsUnits, wordsOfDigits } from '../big-integer-work.ts'
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
  /** Work units for building the values scanned: one each, more for huge integer literals. */
  units = 0
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
    this.units++
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
    let intDigits = 1
    if (this.s[this.pos] === '0') this.pos++
    else intDigits = this.digits()
    let fracDigits = 0
    if (this.s[this.pos] === '.') {
      this.pos++
      fracDigits = this.digits()
      if (fracDigits === 0) this.fail('after decimal point in numeric literal')
    }
    if (this.s[this.pos] === 'e' || this.s[this.pos] === 'E') {
      this.pos++
      const negative = this.s[this.pos] === '-'
      if (this.s[this.pos] === '+' || negative) this.pos++
      const start = this.pos
      if (this.digits() === 0) this.fail('in exponent of numeric literal')
      const exponent = this.pos - start > 15 ? Infinity : Number(this.s.slice(start, this.pos))
      // Beyond a double's range the literal is kept as the exact integer it denotes.
      if (!negative && intDigits + exponent > 308) {
        this.units += decimalWordsUnits(wordsOfDigits(intDigits + fracDigits + exponent))
      }
    } else if (fracDigits === 0 && intDigits > 15) {
      this.units += decimalWordsUnits(wordsOfDigits(intDigits))
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
export function checkJsonDocument(s: string): { error?: string; end: number; units: number } {
  const sc = new Scanner(s)
  sc.ws()
  if (sc.pos === s.length) return { error: 'EOF', end: 0, units: 0 }
  try {
    sc.value()
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e
    return { error: e.atEnd ? 'unexpected EOF' : e.message, end: sc.pos, units: 0 }
  }
  const end = sc.pos
  const units = sc.units
  sc.ws()
  if (sc.pos === s.length) return { end, units }
  const start = sc.pos
  const c = s[start] as string
  if (c === '{' || c === '[') {
    return { error: `error: invalid character '${c}' after top-level value`, end, units }
  }
  try {
    sc.value()
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e
    return { error: e.atEnd ? 'unexpected EOF' : e.message, end, units }
  }
  const token = s.slice(start, sc.pos)
  if (token === 'null') return { end, units }
  let text = token
  if (token.startsWith('"')) text = JSON.parse(token) as string
  else if (token === 'true' || token === 'false') text = `%!s(bool=${token})`
  return { error: `error: invalid character '${text}' after top-level value`, end, units }
}
