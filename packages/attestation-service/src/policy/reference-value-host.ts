import { BuiltinError, fromJS, type BuiltinDef } from '@carapace/rego'
import type { ReferenceValueResolver } from './compiled-policy-cache.ts'

/** Trustee's host function `query_reference_value(id)`: the RVPS value or null. */
export function referenceValueHostFunction(resolve: () => ReferenceValueResolver | undefined): BuiltinDef {
  return {
    name: 'query_reference_value',
    arity: 1,
    fn: (args) => {
      const id = args[0]
      if (typeof id !== 'string') throw new BuiltinError('eval_type_error', 'operand 1 must be string')
      const resolver = resolve()
      return fromJS(resolver === undefined ? null : (resolver(id) ?? null))
    },
  }
}
