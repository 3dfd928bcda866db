import { normalizeBig } from '../../value/number.ts'
import type { Value } from '../../value/value.ts'
import { builtinError, stringArg } from '../args.ts'
import { builtin, type BuiltinContext, type BuiltinDef } from '../builtin.ts'
import { CHARGE_BATCH, chargeWork } from '../work.ts'
import { bigIntOperand, int64Operand } from './integer-operands.ts'

/** A JS array cannot hold more elements than this. */
const MAX_RANGE_LENGTH = 2n ** 32n - 1n

/** Integers from `from` to `to` inclusive, counting up or down by `step`. */
function range(from: bigint, to: bigint, step: bigint, ctx: BuiltinContext): Value[] {
  const span = from <= to ? to - from : from - to
  if (span / step + 1n > MAX_RANGE_LENGTH) throw builtinError('range too large')
  const out: Value[] = []
  const up = from <= to
  for (let i = from; up ? i <= to : i >= to; i = up ? i + step : i - step) {
    out.push(normalizeBig(i))
    if (out.length % CHARGE_BATCH === 0) ctx.charge?.(CHARGE_BATCH)
  }
  chargeWork(ctx, out.length % CHARGE_BATCH)
  return out
}

export const numberBuiltins: readonly BuiltinDef[] = [
  builtin('numbers.range', 2, (args, ctx) => range(bigIntOperand(args, 0), bigIntOperand(args, 1), 1n, ctx)),
  builtin('numbers.range_step', 3, (args, ctx) => {
    const from = bigIntOperand(args, 0)
    const to = bigIntOperand(args, 1)
    const step = bigIntOperand(args, 2)
    if (step <= 0n) throw builtinError('step must be a positive number above zero')
    return range(from, to, step, ctx)
  }),
  builtin(
    'rand.intn',
    2,
    (args, ctx) => {
      const seed = stringArg(args, 0)
      let n = int64Operand(args, 1)
      if (n === 0) return 0
      if (n < 0) n = -n
      // One value per (string, n) for the whole evaluation, as OPA caches it.
      const key = `rand.intn:${JSON.stringify(seed)}:${n}`
      const cached = ctx.memo.get(key)
      if (cached !== undefined) return cached
      const r = Math.floor(ctx.random() * n)
      ctx.memo.set(key, r)
      return r
    },
    { nondeterministic: true },
  ),
]
