import { RegoObject, RegoSet, type Value } from '../value/value.ts'
import { decimalUnits } from './big-integer-work.ts'
import type { BuiltinContext } from './builtin.ts'
import { chargeWork, CHARS_PER_UNIT } from './work.ts'

/**
 * Work units for writing `v` out in full (as JSON, YAML or Rego text, or converting it node by
 * node): one per node, strings by their length, huge integers by their decimal conversion. A
 * subtree shared in several places counts each time it is written, which is what makes a value
 * built by doubling (`a2 := [a1, a1]`) exponentially long; measuring it takes time linear in its
 * distinct nodes only.
 */
export function writeUnits(v: Value, memo: Map<object, number> = new Map()): number {
  if (v === null) return 1
  switch (typeof v) {
    case 'boolean':
      return 1
    case 'number':
      return 1
    case 'bigint':
      return 1 + decimalUnits(v)
    case 'string':
      return 1 + v.length / CHARS_PER_UNIT
    default:
      break
  }
  const known = memo.get(v)
  if (known !== undefined) return known
  let units = 1
  if (Array.isArray(v)) for (const x of v) units += writeUnits(x, memo)
  else if (v instanceof RegoSet) for (const x of v.values()) units += writeUnits(x, memo)
  else if (v instanceof RegoObject) for (const [k, x] of v.entries()) units += writeUnits(k, memo) + writeUnits(x, memo)
  memo.set(v, units)
  return units
}

/** Charge writing `v` out in full, before doing it. */
export function chargeWrite(ctx: BuiltinContext, v: Value): void {
  chargeWork(ctx, writeUnits(v))
}
