import { formatNumber } from '../../value/number.ts'
import { compareStrings } from '../../value/string-order.ts'
import { RegoSet, type Value } from '../../value/value.ts'
import { decimalUnits } from '../big-integer-work.ts'
import type { WorkMeter } from '../work.ts'

/**
 * Go's encoding/json output for a Rego value (what json.marshal returns): `<`, `>`, `&`,
 * U+2028 and U+2029 escaped as \u00XX/\u20XX, other control characters as \b \f \n \r \t or
 * \u00XX, lone surrogates as U+FFFD, sets as arrays, object keys sorted by their bytes, and
 * non-string keys replaced by their JSON text.
 */
export function goJsonString(s: string): string {
  return '"' + s.replace(NEEDS_ESCAPE, escapeJsonChar) + '"'
}

/**
 * Characters Go escapes (`[^ -\uffff]` is the control characters below a space), and lone
 * surrogates: a high one not followed by a low one, a low one not preceded by a high one.
 */
const NEEDS_ESCAPE =
  /[^ -\uffff]|["\\<>&\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

function escapeJsonChar(ch: string): string {
  switch (ch) {
    case '"':
      return '\\"'
    case '\\':
      return '\\\\'
    case '\b':
      return '\\b'
    case '\f':
      return '\\f'
    case '\n':
      return '\\n'
    case '\r':
      return '\\r'
    case '\t':
      return '\\t'
    default:
      break
  }
  const c = ch.charCodeAt(0)
  if (c >= 0xd800 && c <= 0xdfff) return '\ufffd'
  return '\\u' + c.toString(16).padStart(4, '0')
}

export interface JsonLayout {
  readonly prefix: string
  readonly indent: string
}

/**
 * The JSON text; `meter` (when given) counts the nodes and text written as it goes, so that a
 * value sharing one subtree in many places fails on the evaluation's bounds before its
 * (exponentially long) text is built.
 */
export function goJsonText(v: Value, layout?: JsonLayout, meter?: WorkMeter): string {
  return write(v, layout, 0, meter)
}

function write(v: Value, layout: JsonLayout | undefined, depth: number, meter: WorkMeter | undefined): string {
  if (v === null) return 'null'
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false'
    case 'number':
      return formatNumber(v)
    case 'bigint':
      meter?.add(decimalUnits(v))
      return formatNumber(v)
    case 'string':
      meter?.addText(v.length)
      return goJsonString(v)
    default:
      break
  }
  const newline = (d: number): string => {
    if (!layout) return ''
    meter?.addText(1 + layout.prefix.length + layout.indent.length * d)
    return '\n' + layout.prefix + layout.indent.repeat(d)
  }
  if (Array.isArray(v) || v instanceof RegoSet) {
    const items = Array.isArray(v) ? v : v.values()
    meter?.add(1 + items.length)
    if (items.length === 0) return '[]'
    const parts = items.map((x) => newline(depth + 1) + write(x, layout, depth + 1, meter))
    return '[' + parts.join(',') + newline(depth) + ']'
  }
  const entries = v
    .entries()
    .map(([k, val]) => [typeof k === 'string' ? k : goJsonText(k, undefined, meter), val] as const)
  meter?.add(1 + entries.length)
  if (entries.length === 0) return '{}'
  entries.sort((a, b) => compareStrings(a[0], b[0]))
  const sep = layout ? ': ' : ':'
  const parts = entries.map(([k, val]) => {
    meter?.addText(k.length)
    return newline(depth + 1) + goJsonString(k) + sep + write(val, layout, depth + 1, meter)
  })
  return '{' + parts.join(',') + newline(depth) + '}'
}
