import { RegoSet } from '../../value/value.ts'
import { operandTypeError, setArg } from '../args.ts'
import { builtin, type BuiltinDef } from '../builtin.ts'

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

export const setBuiltins: readonly BuiltinDef[] = [
  builtin('and', 2, (args) => intersect(setArg(args, 0), setArg(args, 1))),
  builtin('or', 2, (args) => unite(setArg(args, 0), setArg(args, 1))),
  builtin('intersection', 1, (args) => {
    const sets = setsOf(setArg(args, 0))
    let result: RegoSet | undefined
    for (const s of sets) result = result === undefined ? s : intersect(result, s)
    return result ?? new RegoSet()
  }),
  builtin('union', 1, (args) => {
    const out = new RegoSet()
    for (const s of setsOf(setArg(args, 0))) for (const v of s.values()) out.add(v)
    return out
  }),
]
