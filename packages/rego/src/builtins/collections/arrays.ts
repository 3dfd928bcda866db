import { arrayArg } from '../args.ts'
import { builtin, type BuiltinDef } from '../builtin.ts'
import { int64Operand } from './integer-operands.ts'

export const arrayBuiltins: readonly BuiltinDef[] = [
  builtin('array.concat', 2, (args) => {
    const a = arrayArg(args, 0)
    const b = arrayArg(args, 1)
    return [...a, ...b]
  }),
  builtin('array.reverse', 1, (args) => [...arrayArg(args, 0)].reverse()),
  builtin('array.slice', 3, (args) => {
    const arr = arrayArg(args, 0)
    let start = int64Operand(args, 1)
    let stop = int64Operand(args, 2)
    // Out-of-range indexes are clamped, never an error.
    stop = Math.min(Math.max(stop, 0), arr.length)
    start = Math.min(Math.max(start, 0), stop)
    return arr.slice(start, stop)
  }),
]
