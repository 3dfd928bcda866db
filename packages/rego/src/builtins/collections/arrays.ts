import { arrayArg } from '../args.ts'
import { builtin, type BuiltinDef } from '../builtin.ts'
import { chargeWork } from '../work.ts'
import { int64Operand } from './integer-operands.ts'

export const arrayBuiltins: readonly BuiltinDef[] = [
  // Copies are charged by their length: concatenating an array with itself doubles it.
  builtin('array.concat', 2, (args, ctx) => {
    const a = arrayArg(args, 0)
    const b = arrayArg(args, 1)
    chargeWork(ctx, a.length + b.length)
    return [...a, ...b]
  }),
  builtin('array.reverse', 1, (args, ctx) => {
    const a = arrayArg(args, 0)
    chargeWork(ctx, a.length)
    return [...a].reverse()
  }),
  builtin('array.slice', 3, (args, ctx) => {
    const arr = arrayArg(args, 0)
    let start = int64Operand(args, 1)
    let stop = int64Operand(args, 2)
    // Out-of-range indexes are clamped, never an error.
    stop = Math.min(Math.max(stop, 0), arr.length)
    start = Math.min(Math.max(start, 0), stop)
    chargeWork(ctx, stop - start)
    return arr.slice(start, stop)
  }),
]
