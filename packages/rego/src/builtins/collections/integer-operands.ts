import { toBigInt } from '../../value/number.ts'
import type { Value } from '../../value/value.ts'
import { numberArg, operandTypeError } from '../args.ts'
import { BuiltinError } from '../builtin.ts'

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

function fractionError(pos: number): BuiltinError {
  return new BuiltinError('eval_type_error', `operand ${pos} must be integer number but got floating-point number`)
}

/**
 * An arbitrary-precision integer operand, as OPA's BigIntOperand words it: a non-number is
 * `operand 1 must be integer but got string`, a fraction `... must be integer number but got
 * floating-point number`.
 */
export function bigIntOperand(args: readonly Value[], i: number): bigint {
  const v = args[i] ?? null
  if (typeof v !== 'number' && typeof v !== 'bigint') throw operandTypeError(i + 1, 'integer', v)
  const b = toBigInt(v)
  if (b === undefined) throw fractionError(i + 1)
  return b
}

/**
 * A machine-integer operand (OPA's IntOperand): a number that is an integer within int64;
 * larger integers are reported like fractions, as Go's json.Number.Int64 fails on them.
 */
export function int64Operand(args: readonly Value[], i: number): number {
  const n = numberArg(args, i)
  const b = toBigInt(n)
  if (b === undefined || b < INT64_MIN || b > INT64_MAX) throw fractionError(i + 1)
  return Number(b)
}
