import { RegoSet } from '../../value/value.ts'
import { operandTypeError, setArg } from '../args.ts'
import { builtin, type BuiltinContext, type BuiltinDef } from '../builtin.ts'
import { chargeWork } from '../work.ts'

export function intersect(a: RegoSet, b: RegoSet): RegoSet {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  const out = new RegoSet()
  for (const v of small.values()) if (large.has(v)) out.add(v)
  return out
}

export function unite(a: RegoSet, b: RegoSet): RegoSet {
  const out = a.clone()
  for (const v of b.values()) out.add(v)
  return out
}

/** The sets inside a set operand; OPA reports a non-set element against operand 1. */
function setsOf(s: RegoSet): RegoSet[] {
  return s.values().map((x) => {
    if (!(x instanceof RegoSet)) throw operandTypeError(1, 'set', x)
    return x
  })
}

/** Charge a pass over the elements of these sets (big sets are cheap to pass around, not to copy). */
function chargeElements(ctx: BuiltinContext, sets: readonly RegoSet[]): void {
  let n = 0
  for (const s of sets) n += s.size
  chargeWork(ctx, n)
}

export const setBuiltins: readonly BuiltinDef[] = [
  builtin('and', 2, (args, ctx) => {
    const a = setArg(args, 0)
    const b = setArg(args, 1)
    chargeWork(ctx, Math.min(a.size, b.size))
    return intersect(a, b)
  }),
  builtin('or', 2, (args, ctx) => {
    const a = setArg(args, 0)
    const b = setArg(args, 1)
    chargeElements(ctx, [a, b])
    return unite(a, b)
  }),
  builtin('intersection', 1, (args, ctx) => {
    const sets = setsOf(setArg(args, 0))
    chargeElements(ctx, sets)
    let result: RegoSet | undefined
    for (const s of sets) result = result === undefined ? s : intersect(result, s)
    return result ?? new RegoSet()
  }),
  builtin('union', 1, (args, ctx) => {
    const sets = setsOf(setArg(args, 0))
    chargeElements(ctx, sets)
    const out = new RegoSet()
    for (const s of sets) for (const v of s.values()) out.add(v)
    return out
  }),
]
