import { toBigInt } from '../../value/number.ts'
import type { Value } from '../../value/value.ts'
import { numberArg } from '../args.ts'
import { BuiltinError } from '../builtin.ts'

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/**
 * OPA's IntOperand: an integer that fits Go's int. Fractions and integers beyond int64 both get
 * `operand N must be integer number but got floating-point number`, as json.Number.Int64 fails
 * on either.
 */
export function intOperand(args: readonly Value[], i: number): number {
  const n = numberArg(args, i)
  const b = toBigInt(n)
  if (b === undefined || b < INT64_MIN || b > INT64_MAX) {
    throw new BuiltinError('eval_type_error', `operand ${i + 1} must be integer number but got floating-point number`)
  }
  return Number(b)
}
