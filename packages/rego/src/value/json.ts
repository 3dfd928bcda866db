import { RegoError } from '../errors.ts'
import { formatNumber, normalizeBig, parseNumberLiteral } from './number.ts'
import { RegoObject, RegoSet, type Value } from './value.ts'

/**
 * Convert a plain JS value (as JSON.parse or a YAML parser yields it) to a Rego value.
 * Plain objects become RegoObjects, arrays stay arrays; bigint is accepted; anything that
 * JSON cannot hold is an error.
 */
export function fromJS(x: unknown): Value {
  try {
    return convert(x)
  } catch (e) {
    throw e instanceof RangeError ? tooDeep() : e
  }
}

function tooDeep(): RegoError {
  return new RegoError('invalid_argument', 'value is nested too deeply to convert')
}

function convert(x: unknown): Value {
  if (x === null) return null
  switch (typeof x) {
    case 'boolean':
    case 'string':
      return x
    case 'number':
      if (!Number.isFinite(x)) throw new RegoError('invalid_argument', `not a JSON number: ${x}`)
      return x === 0 ? 0 : x
    case 'bigint':
      return normalizeBig(x)
    case 'object':
      if (Array.isArray(x)) return x.map(convert)
      if (x instanceof RegoObject || x instanceof RegoSet) return x
      if (x instanceof Map) {
        const o = new RegoObject()
        for (const [k, v] of x) o.set(convert(k), convert(v))
        return o
      }
      {
        const o = new RegoObject()
        for (const k of Object.keys(x)) o.set(k, convert((x as Record<string, unknown>)[k]))
        return o
      }
    default:
      throw new RegoError('invalid_argument', `cannot convert ${typeof x} to a Rego value`)
  }
}

/**
 * Parse JSON text into a Rego value without losing precision: integers beyond 2^53 become
 * bigint. Uses JSON.parse when no long digit run could lose precision.
 */
export function parseJson(text: string): Value {
  if (!/[0-9]{16}/.test(text)) {
    try {
      return fromJS(JSON.parse(text))
    } catch (e) {
      throw new RegoError('invalid_argument', `invalid JSON: ${(e as Error).message}`)
    }
  }
  try {
    return new LosslessJsonParser(text).parseDocument()
  } catch (e) {
    throw e instanceof RangeError ? tooDeep() : e
  }
}

class LosslessJsonParser {
  private pos = 0
  private readonly text: string
  constructor(text: string) {
    this.text = text
  }

  parseDocument(): Value {
    const v = this.value()
    this.ws()
    if (this.pos !== this.text.length) this.fail('unexpected trailing text')
    return v
  }

  private fail(msg: string): never {
    throw new RegoError('invalid_argument', `invalid JSON at offset ${this.pos}: ${msg}`)
  }

  private ws(): void {
    const t = this.text
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos)
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++
      else break
    }
  }

  private value(): Value {
    this.ws()
    const c = this.text[this.pos]
    if (c === '{') return this.object()
    if (c === '[') return this.array()
    if (c === '"') return this.string()
    if (this.text.startsWith('true', this.pos)) return ((this.pos += 4), true)
    if (this.text.startsWith('false', this.pos)) return ((this.pos += 5), false)
    if (this.text.startsWith('null', this.pos)) return ((this.pos += 4), null)
    const m = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y
    m.lastIndex = this.pos
    const r = m.exec(this.text)
    if (!r || r[0] === '' || r[0] === '-') this.fail('unexpected character')
    this.pos += r[0].length
    const n = parseNumberLiteral(r[0])
    if (n === undefined) this.fail('number out of range')
    return n
  }

  private object(): Value {
    this.pos++
    const o = new RegoObject()
    this.ws()
    if (this.text[this.pos] === '}') return (this.pos++, o)
    for (;;) {
      this.ws()
      if (this.text[this.pos] !== '"') this.fail('expected a string key')
      const k = this.string()
      this.ws()
      if (this.text[this.pos] !== ':') this.fail("expected ':'")
      this.pos++
      o.set(k, this.value())
      this.ws()
      const c = this.text[this.pos++]
      if (c === '}') return o
      if (c !== ',') this.fail("expected ',' or '}'")
    }
  }

  private array(): Value {
    this.pos++
    const a: Value[] = []
    this.ws()
    if (this.text[this.pos] === ']') return (this.pos++, a)
    for (;;) {
      a.push(this.value())
      this.ws()
      const c = this.text[this.pos++]
      if (c === ']') return a
      if (c !== ',') this.fail("expected ',' or ']'")
    }
  }

  private string(): string {
    // JSON forbids raw control characters in strings.
    // eslint-disable-next-line no-control-regex
    const re = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y
    re.lastIndex = this.pos
    const m = re.exec(this.text)
    if (!m) this.fail('invalid string')
    this.pos += m[0].length
    return JSON.parse(m[0]) as string
  }
}

/**
 * Convert a Rego value to plain JS for JSON output: sets become arrays in OPA order, object keys
 * that are not strings become their JSON text, integers beyond 2^53 stay bigint.
 */
export function toJS(v: Value): unknown {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map(toJS)
  if (v instanceof RegoSet) return v.values().map(toJS)
  const out: Record<string, unknown> = {}
  for (const [k, val] of v.entries()) {
    Object.defineProperty(out, typeof k === 'string' ? k : toJsonText(k), {
      value: toJS(val),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return out
}

/** JSON text of a Rego value (sets as sorted arrays; non-string keys as their JSON text). */
export function toJsonText(v: Value, indent = 0): string {
  return write(v, indent, '')
}

function write(v: Value, indent: number, pad: string): string {
  if (v === null) return 'null'
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false'
    case 'number':
    case 'bigint':
      return formatNumber(v)
    case 'string':
      return JSON.stringify(v)
    default:
      break
  }
  const inner = indent ? pad + ' '.repeat(indent) : ''
  const nl = indent ? '\n' : ''
  const sep = indent ? ': ' : ':'
  if (Array.isArray(v) || v instanceof RegoSet) {
    const items = Array.isArray(v) ? v : v.values()
    if (items.length === 0) return '[]'
    return `[${nl}${items.map((x) => inner + write(x, indent, inner)).join(',' + nl)}${nl}${pad}]`
  }
  const entries = v.entries()
  if (entries.length === 0) return '{}'
  const parts = entries.map(([k, val]) => {
    const key = typeof k === 'string' ? k : toJsonText(k)
    return inner + JSON.stringify(key) + sep + write(val, indent, inner)
  })
  return `{${nl}${parts.join(',' + nl)}${nl}${pad}}`
}
