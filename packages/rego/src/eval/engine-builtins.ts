import { builtin, type BuiltinDef } from '../builtins/builtin.ts'
import { RegoObject } from '../value/value.ts'

/**
 * Builtins that belong to the engine rather than to a library: `trace` (a no-op that is true;
 * OPA only shows it with explain tracing) and `opa.runtime` (no runtime information is exposed).
 * The registry's own definitions take precedence.
 */
export const ENGINE_BUILTINS: readonly BuiltinDef[] = [
  builtin('trace', 1, () => true),
  builtin('opa.runtime', 0, () => new RegoObject(), { nondeterministic: true }),
]

export function withEngineBuiltins(registry: ReadonlyMap<string, BuiltinDef>): ReadonlyMap<string, BuiltinDef> {
  const out = new Map(registry)
  for (const b of ENGINE_BUILTINS) if (!out.has(b.name)) out.set(b.name, b)
  return out
}
