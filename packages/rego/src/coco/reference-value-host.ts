import type { BuiltinDef } from '../builtins/builtin.ts'
import { BuiltinError } from '../builtins/builtin.ts'
import { fromJS } from '../value/json.ts'
import type { Value } from '../value/value.ts'

/**
 * Trustee's Attestation Service host function `query_reference_value(id)` (a regorus
 * extension, one argument): the RVPS reference values stored under `id`, or `null` when there
 * are none. Backed here by a fixed map; `calls` records the ids asked for.
 */
export interface ReferenceValueHost {
  readonly def: BuiltinDef
  readonly calls: string[]
}

export function referenceValueHost(values: Readonly<Record<string, unknown>>): ReferenceValueHost {
  const converted = new Map<string, Value>()
  for (const [id, v] of Object.entries(values)) converted.set(id, fromJS(v))
  const calls: string[] = []
  const def: BuiltinDef = {
    name: 'query_reference_value',
    arity: 1,
    fn: (args) => {
      const id = args[0]
      if (typeof id !== 'string') throw new BuiltinError('eval_type_error', 'reference value id must be a string')
      calls.push(id)
      return converted.get(id) ?? null
    },
  }
  return { def, calls }
}
