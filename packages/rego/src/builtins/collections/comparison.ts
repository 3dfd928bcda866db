import { compare, equal } from '../../value/compare.ts'
import type { Value } from '../../value/value.ts'
import { builtin, type BuiltinDef } from '../builtin.ts'

/** Comparisons use OPA's total order, so operands of different types never fail. */
function comparison(name: string, test: (a: Value, b: Value) => boolean): BuiltinDef {
  return builtin(name, 2, (args) => test(args[0] ?? null, args[1] ?? null))
}

export const comparisonBuiltins: readonly BuiltinDef[] = [
  comparison('equal', equal),
  comparison('neq', (a, b) => !equal(a, b)),
  comparison('lt', (a, b) => compare(a, b) < 0),
  comparison('lte', (a, b) => compare(a, b) <= 0),
  comparison('gt', (a, b) => compare(a, b) > 0),
  comparison('gte', (a, b) => compare(a, b) >= 0),
]
