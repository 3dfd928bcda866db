import { formatNumber } from '../../../value/number.ts'
import { RegoSet, type Value } from '../../../value/value.ts'

/**
 * Go's encoding/json as OPA's token builtins meet it: the syntax check with Go's error texts
 * ("invalid character 'e' looking for beginning of value", "unexpected end of JSON input"),
 * and json.Marshal's output (sorted keys, HTML-safe escapes).
 */

class SyntaxErr extends Error {}

function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`
  if (c === 0x22) return `'"'`
  const s = JSON.stringify(String.fromCharCode(c)).slice(1, -1)
  return `'${c === 0x7f ? '\\x7f' : s}'`
}

class Scanner {
  private readonly b: Uint8Array
  private i = 0
  constructor(b: Uint8Array) {
    this.b = b
  }

  private peek(): number | undefined {
    return this.b[this.i]
  }

  private fail(context: string): never {
    const c = this.peek()
    if (c === undefined) throw new SyntaxErr('unexpected end of JSON input')
    throw new SyntaxErr(`invalid character ${quoteChar(c)} ${context}`)
  }

  private ws(): void {
    for (;;) {
      const c = this.peek()
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.i++
      else return
    }
  }

  document(): void {
    this.ws()
    this.value()
    this.ws()
    if (this.i < this.b.length) this.fail('after top-level value')
  }

  private value(): void {
    const c = this.peek()
    switch (c) {
      case 0x7b:
        this.object()
        return
      case 0x5b:
        this.array()
        return
      case 0x22:
        this.string()
        return
      case 0x74:
        this.literal('true')
        return
      case 0x66:
        this.literal('false')
        return
      case 0x6e:
        this.literal('null')
        return
      default:
        if (c === 0x2d || (c !== undefined && c >= 0x30 && c <= 0x39)) {
          this.number()
          return
        }
        this.fail('looking for beginning of value')
    }
  }

  private literal(word: string): void {
    this.i++
    for (let k = 1; k < word.length; k++) {
      if (this.peek() !== word.charCodeAt(k)) this.fail(`in literal ${word} (expecting '${word[k]}')`)
      this.i++
    }
  }

  private digits(): number {
    const start = this.i
    for (let c = this.peek(); c !== undefined && c >= 0x30 && c <= 0x39; c = this.peek()) this.i++
    return this.i - start
  }

  private number(): void {
    if (this.peek() === 0x2d) {
      this.i++
      const c = this.peek()
      if (c === undefined || c < 0x30 || c > 0x39) this.fail('in numeric literal')
    }
    if (this.peek() === 0x30) this.i++
    else this.digits()
    if (this.peek() === 0x2e) {
      this.i++
      if (this.digits() === 0) this.fail('after decimal point in numeric literal')
    }
    const e = this.peek()
    if (e === 0x65 || e === 0x45) {
      this.i++
      const s = this.peek()
      if (s === 0x2b || s === 0x2d) this.i++
      if (this.digits() === 0) this.fail('in exponent of numeric literal')
    }
  }

  private string(): void {
    this.i++
    for (;;) {
      const c = this.peek()
      if (c === undefined) this.fail('in string literal')
      if (c === 0x22) {
        this.i++
        return
      }
      if (c < 0x20) this.fail('in string literal')
      if (c === 0x5c) {
        this.i++
        const e = this.peek()
        if (e === 0x75) {
          this.i++
          for (let k = 0; k < 4; k++) {
            const h = this.peek()
            const hex =
              h !== undefined && ((h >= 0x30 && h <= 0x39) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66))
            if (!hex) this.fail('in \\u hexadecimal character escape')
            this.i++
          }
          continue
        }
        if (e === undefined || !'"\\/bfnrt'.includes(String.fromCharCode(e))) this.fail('in string escape code')
      }
      this.i++
    }
  }

  private object(): void {
    this.i++
    this.ws()
    if (this.peek() === 0x7d) {
      this.i++
      return
    }
    for (;;) {
      this.ws()
      if (this.peek() !== 0x22) this.fail('looking for beginning of object key string')
      this.string()
      this.ws()
      if (this.peek() !== 0x3a) this.fail('after object key')
      this.i++
      this.ws()
      this.value()
      this.ws()
      const c = this.peek()
      if (c === 0x2c) {
        this.i++
        continue
      }
      if (c === 0x7d) {
        this.i++
        return
      }
      this.fail('after object key:value pair')
    }
  }

  private array(): void {
    this.i++
    this.ws()
    if (this.peek() === 0x5d) {
      this.i++
      return
    }
    for (;;) {
      this.ws()
      this.value()
      this.ws()
      const c = this.peek()
      if (c === 0x2c) {
        this.i++
        continue
      }
      if (c === 0x5d) {
        this.i++
        return
      }
      this.fail('after array element')
    }
  }
}

/** Go's json syntax error for `bytes`, or undefined when they are one valid JSON value. */
export function goJsonSyntaxError(bytes: Uint8Array): string | undefined {
  try {
    new Scanner(bytes).document()
    return undefined
  } catch (e) {
    if (e instanceof SyntaxErr) return e.message
    throw e
  }
}

/** Go's json.Valid. */
export function goJsonValid(bytes: Uint8Array): boolean {
  return goJsonSyntaxError(bytes) === undefined
}

function goString(s: string): string {
  let out = '"'
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k)
    if (c >= 0xd800 && c <= 0xdbff && k + 1 < s.length) {
      const d = s.charCodeAt(k + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s.slice(k, k + 2)
        k++
        continue
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      out += '\\ufffd'
      continue
    }
    switch (c) {
      case 0x22:
        out += '\\"'
        continue
      case 0x5c:
        out += '\\\\'
        continue
      case 0x08:
        out += '\\b'
        continue
      case 0x0c:
        out += '\\f'
        continue
      case 0x0a:
        out += '\\n'
        continue
      case 0x0d:
        out += '\\r'
        continue
      case 0x09:
        out += '\\t'
        continue
      default:
        break
    }
    if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      out += '\\u' + c.toString(16).padStart(4, '0')
    } else {
      out += String.fromCharCode(c)
    }
  }
  return out + '"'
}

export class GoMarshalError extends Error {}

/** json.Marshal of a Rego value as OPA's ast.JSON hands it over: sets as arrays, keys sorted. */
export function goMarshal(v: Value): string {
  if (v === null) return 'null'
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false'
    case 'number':
    case 'bigint':
      return formatNumber(v)
    case 'string':
      return goString(v)
    default:
      break
  }
  if (Array.isArray(v)) return `[${v.map(goMarshal).join(',')}]`
  if (v instanceof RegoSet) return `[${v.values().map(goMarshal).join(',')}]`
  const parts: string[] = []
  for (const [k, val] of v.entries()) {
    if (typeof k !== 'string') throw new GoMarshalError('object key must be string')
    parts.push(`${goString(k)}:${goMarshal(val)}`)
  }
  return `{${parts.join(',')}}`
}
