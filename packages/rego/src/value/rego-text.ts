import { formatNumber } from './number.ts'
import { RegoSet, type Value } from './value.ts'

/**
 * A value as Rego source text, the way OPA prints terms: `set()` for the empty set,
 * `{1, 2}` for sets, `{"a": 1}` for objects, `[1, 2]` for arrays, quoted strings.
 */
export function toRegoText(v: Value): string {
  return appendRegoText('', v)
}

/** `out` followed by the text of `v`; one growing string, no intermediate arrays. */
function appendRegoText(out: string, v: Value): string {
  if (v === null) return out + 'null'
  switch (typeof v) {
    case 'string':
      return out + quoted(v)
    case 'boolean':
      return out + (v ? 'true' : 'false')
    case 'number':
    case 'bigint':
      return out + formatNumber(v)
    default:
      break
  }
  if (Array.isArray(v)) {
    out += '['
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out += ', '
      out = appendRegoText(out, v[i] as Value)
    }
    return out + ']'
  }
  if (v instanceof RegoSet) {
    if (v.size === 0) return out + 'set()'
    const items = v.values()
    out += '{'
    for (let i = 0; i < items.length; i++) {
      if (i > 0) out += ', '
      out = appendRegoText(out, items[i] as Value)
    }
    return out + '}'
  }
  const entries = v.entries()
  out += '{'
  for (let i = 0; i < entries.length; i++) {
    const [key, val] = entries[i] as [Value, Value]
    if (i > 0) out += ', '
    out = appendRegoText(out, key) + ': '
    out = appendRegoText(out, val)
  }
  return out + '}'
}

// Control characters are exactly what needs escaping here.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/

/** A string as a JSON string literal; most strings need no escaping at all. */
function quoted(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"'
}
