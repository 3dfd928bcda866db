import type { EvalOptions } from '../api.ts'
import { compile } from '../engine.ts'
import { toJS } from '../value/json.ts'
import type { Value } from '../value/value.ts'

/** Compile modules (v1 unless told) and run a query; results as plain JS for assertions. */
export function run(
  modules: string | string[],
  query: string,
  options: EvalOptions & { regoVersion?: 0 | 1 } = {},
): Record<string, unknown>[] {
  const mods = (Array.isArray(modules) ? modules : [modules]).map((text, i) => ({ name: `test-${i}.rego`, text }))
  const policy = compile(mods, { regoVersion: options.regoVersion ?? 1 })
  return policy
    .prepareQuery(query)
    .eval(options)
    .map((m) => Object.fromEntries([...m].map(([k, v]) => [k, toJS(v)])))
}

/** The single value of `x` in `x := <expr>` against the modules. */
export function value(
  modules: string | string[],
  expr: string,
  options: EvalOptions & { regoVersion?: 0 | 1 } = {},
): unknown {
  const r = run(modules, `__v := ${expr}`.replace('__v', 'x'), options)
  if (r.length === 0) return undefined
  return r[0]?.['x']
}

export function errorText(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    return String(e)
  }
  return ''
}

export type { Value }
