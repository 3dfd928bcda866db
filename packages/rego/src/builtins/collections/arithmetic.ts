import {
  add,
  divide,
  isInteger,
  multiply,
  negate,
  remainder,
  subtract,
  toBigInt,
  type RegoNumber,
} from '../../value/number.ts'
import { isNumber, RegoSet, type Value } from '../../value/value.ts'
import { builtinError, numberArg, operandTypeError } from '../args.ts'
import { chargeLinear, chargeProduct, wordsOf } from '../big-integer-work.ts'
import { builtin, type BuiltinContext, type BuiltinDef } from '../builtin.ts'
import { chargeWork } from '../work.ts'
import { normalizeNumber, numberResult } from './number-result.ts'

/** What an operation on two integers costs, charged when one of them is a bigint. */
type IntegerCost = (ctx: BuiltinContext, a: number, b: number) => void

function linearCost(ctx: BuiltinContext, a: number, b: number): void {
  chargeLinear(ctx, a + b)
}

/**
 * A binary operation on two number operands (type errors checked left to right, as OPA). Big
 * integer operands are charged before the operation: a chain of multiplications doubles their
 * size each time.
 */
function numeric(name: string, op: (a: RegoNumber, b: RegoNumber) => RegoNumber, cost: IntegerCost): BuiltinDef {
  return builtin(name, 2, (args, ctx) => {
    const a = numberArg(args, 0)
    const b = numberArg(args, 1)
    if (typeof a === 'bigint' || typeof b === 'bigint') cost(ctx, wordsOf(a), wordsOf(b))
    return normalizeNumber(op(a, b))
  })
}

/** Set difference for two sets; numeric subtraction for two numbers. */
function minus(args: readonly Value[], ctx: BuiltinContext): Value {
  const a = args[0] ?? null
  const b = args[1] ?? null
  if (isNumber(a) && isNumber(b)) {
    if (typeof a === 'bigint' || typeof b === 'bigint') linearCost(ctx, wordsOf(a), wordsOf(b))
    return normalizeNumber(subtract(a, b))
  }
  if (a instanceof RegoSet && b instanceof RegoSet) {
    chargeWork(ctx, a.size)
    const out = new RegoSet()
    for (const v of a.values()) if (!b.has(v)) out.add(v)
    return out
  }
  if (!isNumber(a) && !(a instanceof RegoSet)) throw operandTypeError(1, ['number', 'set'], a)
  // OPA reports the second operand against the first one's type.
  if (isNumber(b)) throw operandTypeError(2, 'set', b)
  throw operandTypeError(2, 'number', b)
}

function div(a: RegoNumber, b: RegoNumber): RegoNumber {
  const q = divide(a, b)
  if (q === undefined) throw builtinError('divide by zero')
  return q
}

function rem(a: RegoNumber, b: RegoNumber): RegoNumber {
  const x = toBigInt(a)
  const y = toBigInt(b)
  if (x === undefined || y === undefined) throw builtinError('modulo on floating-point number')
  const r = remainder(x, y)
  if (r === undefined) throw builtinError('modulo by zero')
  return r
}

/** Unary rounding: integers pass through, doubles are rounded by `f`. */
function rounding(name: string, f: (x: number) => number): BuiltinDef {
  return builtin(name, 1, (args) => {
    const n = numberArg(args, 0)
    if (isInteger(n)) return n
    return numberResult(f(n as number))
  })
}

/** Half away from zero, exactly: compare the (exact) fractional part with one half. */
export function roundHalfAwayFromZero(x: number): number {
  const t = Math.trunc(x)
  const frac = x - t
  if (frac >= 0.5) return t + 1
  if (frac <= -0.5) return t - 1
  return t
}

export const arithmeticBuiltins: readonly BuiltinDef[] = [
  numeric('plus', add, linearCost),
  builtin('minus', 2, minus),
  numeric('mul', multiply, chargeProduct),
  numeric('div', div, chargeProduct),
  numeric('rem', rem, chargeProduct),
  builtin('abs', 1, (args) => {
    const n = numberArg(args, 0)
    if (typeof n === 'bigint') return n < 0n ? negate(n) : n
    return n < 0 ? negate(n) : n
  }),
  rounding('round', roundHalfAwayFromZero),
  rounding('ceil', Math.ceil),
  rounding('floor', Math.floor),
]
