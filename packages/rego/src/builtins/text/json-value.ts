import { RegoError } from '../../errors.ts'
import { parseJson } from '../../value/json.ts'
import { normalizeBig, parseNumberLiteral, type RegoNumber } from '../../value/number.ts'
import { RegoObject, type Value } from '../../value/value.ts'
import { parseDecimal } from './rational.ts'

/**
 * A JSON number as OPA keeps it: exact integers, doubles for fractions, and, for literals like
 * `1e400` that overflow a double, the exact integer they denote (as the Rego parser does).
 */
export function jsonNumber(text: string): RegoNumber {
  const n = parseNumberLiteral(text)
  if (n !== undefined) return n
  const r = parseDecimal(text)
  if (r && r.num % r.den === 0n) return normalizeBig(r.num / r.den)
  return Number(text)
}

/** Builds values from JSON text already known to be valid. */
class ValueBuilder {
  pos = 0
  readonly s: string
  constructor(s: string) {
    this.s = s
  }

  ws(): void {
    while (' \t\n\r'.includes(this.s.charAt(this.pos)) && this.pos < this.s.length) this.pos++
  }

  value(): Value {
    this.ws()
    const c = this.s.charAt(this.pos)
    if (c === '{') return this.object()
    if (c === '[') return this.array()
    if (c === '"') return this.string()
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.s.startsWith(word, this.pos)) {
        this.pos += word.length
        return v
      }
    }
    const m = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y
    m.lastIndex = this.pos
    const text = m.exec(this.s)?.[0] ?? ''
    this.pos += text.length
    return jsonNumber(text)
  }

  string(): string {
    const m = /"(?:[^"\\]|\\.)*"/y
    m.lastIndex = this.pos
    const text = m.exec(this.s)?.[0] ?? '""'
    this.pos += text.length
    return JSON.parse(text) as string
  }

  object(): Value {
    this.pos++
    const o = new RegoObject()
    this.ws()
    if (this.s[this.pos] === '}') {
      this.pos++
      return o
    }
    for (;;) {
      this.ws()
      const k = this.string()
      this.ws()
      this.pos++
      o.set(k, this.value())
      this.ws()
      if (this.s[this.pos++] === '}') return o
    }
  }

  array(): Value {
    this.pos++
    const a: Value[] = []
    this.ws()
    if (this.s[this.pos] === ']') {
      this.pos++
      return a
    }
    for (;;) {
      a.push(this.value())
      this.ws()
      if (this.s[this.pos++] === ']') return a
    }
  }
}

/** Valid JSON text to a value; numbers beyond a double's range do not fail. */
export function jsonValue(text: string): Value {
  try {
    return parseJson(text)
  } catch (e) {
    if (!(e instanceof RegoError)) throw e
    return new ValueBuilder(text).value()
  }
}
