import type { CompiledPolicy, EvalOptions, PreparedQuery } from '../api.ts'
import type { RegoVersion } from '../ast/ast.ts'
import { RegoError } from '../errors.ts'
import { parseQuery } from '../parser/index.ts'
import type { Value } from '../value/value.ts'

/** One result of a query, as `opa eval` shows it. */
export interface QueryReportRow {
  /** The value of the query when it is a single expression (`data.policy.allow`). */
  readonly value?: Value
  /** The query's variables. */
  readonly bindings: ReadonlyMap<string, Value>
}

export interface QueryReport {
  readonly query: string
  /** True when the query was a single expression whose value is reported in each row. */
  readonly hasValue: boolean
  /** Empty when the query is undefined. */
  readonly rows: readonly QueryReportRow[]
}

const CAPTURE = 'carapace_query_value__'

/**
 * Evaluate a query for display, as `opa eval` does: when the query is one expression, its value
 * is captured (so `data.policy.allow` shows `false` rather than being undefined), otherwise the
 * results are the variable bindings. Throws the engine's RegoErrors.
 */
export function evalQueryReport(
  policy: CompiledPolicy,
  query: string,
  options: EvalOptions & { readonly regoVersion?: RegoVersion } = {},
): QueryReport {
  const captured = prepareCapture(policy, query, options.regoVersion ?? 1)
  const prepared = captured ?? policy.prepareQuery(query)
  const rows = prepared.eval(options).map((result): QueryReportRow => {
    if (!captured) return { bindings: result }
    const bindings = new Map(result)
    const value = bindings.get(CAPTURE)
    bindings.delete(CAPTURE)
    return value === undefined ? { bindings } : { value, bindings }
  })
  return { query, hasValue: captured !== undefined, rows }
}

/** `<capture> := <query>` for a single plain expression; undefined when that does not apply. */
function prepareCapture(policy: CompiledPolicy, query: string, regoVersion: RegoVersion): PreparedQuery | undefined {
  const body = parseQuery(query, { regoVersion, file: 'query' })
  const only = body[0]
  if (body.length !== 1 || !only || only.negated || only.kind.type !== 'term') return undefined
  try {
    return policy.prepareQuery(`${CAPTURE} := ${query}`)
  } catch (e) {
    // e.g. a call with an output argument, `count(xs, n)`: report the plain query instead
    if (e instanceof RegoError) return undefined
    throw e
  }
}
