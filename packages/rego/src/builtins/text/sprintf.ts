import { toRegoText } from '../../value/rego-text.ts'
import type { Value } from '../../value/value.ts'
import { operandTypeError, stringArg } from '../args.ts'
import { builtin, type BuiltinDef } from '../builtin.ts'
import { chargeWrite } from '../value-work.ts'
import { WorkMeter } from '../work.ts'
import { goSprintf, type GoArg } from './go-format.ts'

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

const MAX_FLOAT64 = BigInt(Number.MAX_VALUE)

/**
 * OPA hands a number literal that overflows float64 (`2e308`) to Go as its source text. Values
 * here carry no source text, so an integer beyond float64 that ends in zeros is taken to be
 * such a literal and written in exponent form; other big integers print in full.
 */
function beyondFloat64(v: bigint): string | undefined {
  const abs = v < 0n ? -v : v
  if (abs <= MAX_FLOAT64) return undefined
  const digits = abs.toString()
  const significant = digits.replace(/0+$/, '')
  if (significant.length === digits.length) return undefined
  const mantissa = significant.length > 1 ? `${significant[0]}.${significant.slice(1)}` : significant
  return `${v < 0n ? '-' : ''}${mantissa}e${digits.length - 1}`
}

/**
 * The Go operand OPA passes for a value: integers that fit int64 as `int`, larger integers as
 * `*big.Int`, other numbers as `float64`, strings as themselves and everything else as its
 * Rego text (so `%v` of `[1, "a"]` prints `[1, "a"]`).
 */
export function toGoArg(v: Value): GoArg {
  if (typeof v === 'bigint') {
    if (v >= INT64_MIN && v <= INT64_MAX) return { kind: 'int', value: v }
    const text = beyondFloat64(v)
    return text === undefined ? { kind: 'bigint', value: v } : { kind: 'string', value: text }
  }
  if (typeof v === 'number') {
    return Number.isSafeInteger(v) ? { kind: 'int', value: BigInt(v) } : { kind: 'float', value: v }
  }
  if (typeof v === 'string') return { kind: 'string', value: v }
  return { kind: 'string', value: toRegoText(v) }
}

export const sprintfBuiltins: readonly BuiltinDef[] = [
  builtin('sprintf', 2, (args, ctx) => {
    const format = stringArg(args, 0)
    const operands = args[1] ?? null
    if (!Array.isArray(operands)) throw operandTypeError(2, 'array', operands)
    // Composite operands are written as Rego text and big integers in decimal: charged first.
    for (const v of operands) if (typeof v === 'bigint' || (v !== null && typeof v === 'object')) chargeWrite(ctx, v)
    const meter = new WorkMeter(ctx)
    const text = goSprintf(format, operands.map(toGoArg), meter)
    meter.done()
    return text
  }),
]
