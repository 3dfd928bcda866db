import { toJsonText } from '../value/json.ts'
import { RegoObject, type Value } from '../value/value.ts'
import type { QueryReport } from './eval-query-report.ts'

/**
 * `opa eval`'s JSON shape: `{"result": [{"expressions": [{"value": v, "text": query}],
 * "bindings": {...}}]}`; `expressions` only for single-expression queries, `bindings` only when
 * non-empty, and `{}` when the query is undefined. Sets print as arrays.
 */
export function formatQueryReportJson(report: QueryReport): string {
  if (report.rows.length === 0) return '{}'
  const rows = report.rows.map((row) => {
    const out = new RegoObject()
    if (row.value !== undefined) {
      out.set('expressions', [
        RegoObject.from([
          ['value', row.value],
          ['text', report.query],
        ]),
      ])
    }
    if (row.bindings.size > 0) out.set('bindings', bindingsObject(row.bindings))
    return out
  })
  return toJsonText(RegoObject.from([['result', rows]]), 2)
}

/**
 * For people: the value of each result (or its bindings, or `true` when there are none), one
 * indented JSON document per result, and `undefined` when there is no result.
 */
export function formatQueryReportPretty(report: QueryReport): string {
  if (report.rows.length === 0) return 'undefined'
  return report.rows
    .map((row) => {
      if (report.hasValue && row.value !== undefined && row.bindings.size === 0) return toJsonText(row.value, 2)
      if (report.hasValue && row.value !== undefined) {
        return toJsonText(
          RegoObject.from([
            ['value', row.value],
            ['bindings', bindingsObject(row.bindings)],
          ]),
          2,
        )
      }
      return row.bindings.size === 0 ? 'true' : toJsonText(bindingsObject(row.bindings), 2)
    })
    .join('\n')
}

function bindingsObject(bindings: ReadonlyMap<string, Value>): RegoObject {
  return RegoObject.from(bindings)
}
