import { formatNumber } from '../../value/number.ts'
import { compareStrings } from '../../value/string-order.ts'
import { RegoSet, type Value } from '../../value/value.ts'

/**
 * Go's encoding/json output for a Rego value (what json.marshal returns): `<`, `>`, `&`,
 * U+2028 and U+2029 escaped as \u00XX/\u20XX, other control characters as \b \f \n \r \t or
 * \u00XX, lone surrogates as U+FFFD, sets as arrays, object keys sorted by their bytes, and
 * non-string keys replaced by their JSON text.
 */
export function goJsonString(s: string): string {
  let out = '"'
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1)
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += s.slice(i, i + 2)
        i++
      } else out += '\ufffd'
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
    } else out += s.charAt(i)
  }
  return out + '"'
}

export interface JsonLayout {
  readonly prefix: string
  readonly indent: string
}

export function goJsonText(v: Value, layout?: JsonLayout): string {
  return write(v, layout, 0)
}

function write(v: Value, layout: JsonLayout | undefined, depth: number): string {
  if (v === null) return 'null'
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false'
    case 'number':
    case 'bigint':
      return formatNumber(v)
    case 'string':
      return goJsonString(v)
    default:
      break
  }
  const newline = (d: number): string => (layout ? '\n' + layout.prefix + layout.indent.repeat(d) : '')
  if (Array.isArray(v) || v instanceof RegoSet) {
    const items = Array.isArray(v) ? v : v.values()
    if (items.length === 0) return '[]'
    const parts = items.map((x) => newline(depth + 1) + write(x, layout, depth + 1))
    return '[' + parts.join(',') + newline(depth) + ']'
  }
  const entries = v.entries().map(([k, val]) => [typeof k === 'string' ? k : goJsonText(k), val] as const)
  if (entries.length === 0) return '{}'
  entries.sort((a, b) => compareStrings(a[0], b[0]))
  const sep = layout ? ': ' : ':'
  const parts = entries.map(([k, val]) => newline(depth + 1) + goJsonString(k) + sep + write(val, layout, depth + 1))
  return '{' + parts.join(',') + newline(depth) + '}'
}
