import type { QueryResult } from '../api.ts'
import { compare } from '../value/compare.ts'
import { toJsonText } from '../value/json.ts'
import { keyOf, RegoObject, RegoSet, type Value } from '../value/value.ts'

/**
 * A value as it looks after OPA's JSON round trip: sets become arrays in sorted order and object
 * keys that are not strings become their JSON text (`1` → `"1"`).
 */
export function toJsonShape(v: Value): Value {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map(toJsonShape)
  if (v instanceof RegoSet) return v.values().map(toJsonShape)
  const out = new RegoObject()
  for (const [k, val] of v.entries()) out.set(typeof k === 'string' ? k : toJsonText(k), toJsonShape(val))
  return out
}

/** Generated variables (`__local0__`, `__localq1__`) and the wildcard are not part of a result. */
function isUserVariable(name: string): boolean {
  return name !== '_' && !/^__local/.test(name)
}

/** Query results as binding objects in JSON shape, the form `want_result` is written in. */
export function toResultRows(results: readonly QueryResult[]): RegoObject[] {
  return results.map((bindings) => {
    const row = new RegoObject()
    for (const [name, value] of bindings) if (isUserVariable(name)) row.set(name, toJsonShape(value))
    return row
  })
}

/** Sort every array-valued binding in OPA's order (`sort_bindings`: results of partial sets). */
export function sortBindings(row: RegoObject): RegoObject {
  const out = new RegoObject()
  for (const [k, v] of row.entries()) out.set(k, Array.isArray(v) ? [...v].sort(compare) : v)
  return out
}

/**
 * Compare two result collections as sets (order and duplicates do not matter) using Rego
 * equality, so `1` equals `1.0`.
 */
export function sameResultSet(actual: readonly RegoObject[], expected: readonly RegoObject[]): boolean {
  const a = new Set(actual.map(keyOf))
  const b = new Set(expected.map(keyOf))
  if (a.size !== b.size) return false
  for (const k of a) if (!b.has(k)) return false
  return true
}

/** The result rows as JSON text for failure messages, bounded in length. */
export function describeRows(rows: readonly RegoObject[], maxLength = 2000): string {
  const text = toJsonText(RegoSet.from(rows))
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text
}
