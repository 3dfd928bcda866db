import { formatNumber } from './number.ts'
import { RegoSet, type Value } from './value.ts'

/**
 * A value as Rego source text, the way OPA prints terms: `set()` for the empty set,
 * `{1, 2}` for sets, `{"a": 1}` for objects, `[1, 2]` for arrays, quoted strings.
 */
export function toRegoText(v: Value): string {
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
  if (Array.isArray(v)) return `[${v.map(toRegoText).join(', ')}]`
  if (v instanceof RegoSet) {
    if (v.size === 0) return 'set()'
    return `{${v.values().map(toRegoText).join(', ')}}`
  }
  return `{${v
    .entries()
    .map(([k, val]) => `${toRegoText(k)}: ${toRegoText(val)}`)
    .join(', ')}}`
}
