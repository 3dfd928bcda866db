import { normalizeBig } from '../../value/number.ts'
import type { Value } from '../../value/value.ts'
import { builtinError } from '../args.ts'
import { chargeLinear, wordsOf, wordsOfBits } from '../big-integer-work.ts'
import { builtin, BuiltinError, type BuiltinContext, type BuiltinDef } from '../builtin.ts'
import { bigIntOperand } from './integer-operands.ts'

/** Largest left shift allowed; Go would allocate anything, a JS BigInt tops out near 2^30 bits. */
const MAX_SHIFT = 1n << 24n

function shiftCount(args: readonly Value[]): bigint {
  const n = bigIntOperand(args, 1)
  if (n < 0n) {
    throw new BuiltinError('eval_type_error', 'operand 2 must be an unsigned integer number but got a negative integer')
  }
  return n
}

/** Charge a pass over big integer operands (a huge one may be repeated cheaply). */
function chargeOperands(ctx: BuiltinContext, args: readonly Value[]): void {
  const a = args[0] ?? null
  const b = args[1] ?? null
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    chargeLinear(ctx, (typeof a === 'bigint' ? wordsOf(a) : 1) + (typeof b === 'bigint' ? wordsOf(b) : 1))
  }
}

function binary(name: string, op: (a: bigint, b: bigint) => bigint): BuiltinDef {
  return builtin(name, 2, (args, ctx) => {
    const a = bigIntOperand(args, 0)
    const b = bigIntOperand(args, 1)
    chargeOperands(ctx, args)
    return normalizeBig(op(a, b))
  })
}

export const bitsBuiltins: readonly BuiltinDef[] = [
  binary('bits.and', (a, b) => a & b),
  binary('bits.or', (a, b) => a | b),
  binary('bits.xor', (a, b) => a ^ b),
  builtin('bits.negate', 1, (args, ctx) => {
    const a = bigIntOperand(args, 0)
    chargeOperands(ctx, args)
    return normalizeBig(~a)
  }),
  builtin('bits.lsh', 2, (args, ctx) => {
    const a = bigIntOperand(args, 0)
    const n = shiftCount(args)
    if (a === 0n) return 0
    if (n > MAX_SHIFT) throw builtinError('shift count too large')
    // The result's size: the operand's and the shift's.
    chargeLinear(ctx, wordsOf(a) + wordsOfBits(Number(n)))
    return normalizeBig(a << n)
  }),
  builtin('bits.rsh', 2, (args, ctx) => {
    const a = bigIntOperand(args, 0)
    const n = shiftCount(args)
    const words = wordsOf(a)
    chargeLinear(ctx, words)
    // Shifting everything out leaves the sign (Go's Rsh rounds toward negative infinity).
    if (n >= BigInt(words * 64)) return a < 0n ? -1 : 0
    return normalizeBig(a >> n)
  }),
]
