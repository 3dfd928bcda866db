import { normalizeBig } from '../../value/number.ts'
import type { Value } from '../../value/value.ts'
import { builtinError, stringArg } from '../args.ts'
import { decimalWordsUnits, wordsOfDigits } from '../big-integer-work.ts'
import { builtin, type BuiltinContext, type BuiltinDef } from '../builtin.ts'
import { chargeWork } from '../work.ts'
import { floatString, multiply, parseDecimal, rationalOf, roundToBits, truncate, type Rational } from './rational.ts'

const MAX_EXPONENT_DIGITS = 6
const KI = 1024n

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9'
}

/**
 * Split `10.5e3Mi` into number and unit text the way OPA does: the number runs over digits,
 * `.`, signs and an `e`/`E` that is followed by a digit or sign. Undefined when the exponent
 * has too many digits.
 */
function splitAmount(s: string): [string, string] | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string
    const numeric = isDigit(c) || c === '.' || c === '+' || c === '-'
    if (!numeric && c !== 'e' && c !== 'E') return [s.slice(0, i), s.slice(i)]
    if (c === 'e' || c === 'E') {
      const next = s[i + 1]
      if (next === undefined || (!isDigit(next) && next !== '+' && next !== '-')) return [s.slice(0, i), s.slice(i)]
      if (next === '+' || next === '-') i++
      let end = i + 1
      while (isDigit(s[end])) end++
      if (end - (i + 1) > MAX_EXPONENT_DIGITS) return undefined
    }
  }
  return [s, '']
}

const DECIMAL: Record<string, bigint> = {
  k: 1000n,
  m: 1000n ** 2n,
  g: 1000n ** 3n,
  t: 1000n ** 4n,
  p: 1000n ** 5n,
  e: 1000n ** 6n,
}
const BINARY: Record<string, bigint> = { k: KI, m: KI ** 2n, g: KI ** 3n, t: KI ** 4n, p: KI ** 5n, e: KI ** 6n }

/** units.parse keeps the case of the first letter only, to tell `m` (milli) from `M`. */
function normalizeUnit(unit: string): string {
  return unit.charAt(0) + unit.slice(1).toLowerCase()
}

/** units.parse multipliers: `m` is milli (as the double 0.001), `M` mega, `Mi` mebi, ... */
function unitMultiplier(unit: string): Rational | undefined {
  if (unit === '') return { num: 1n, den: 1n }
  if (unit === 'm') return rationalOf(0.001)
  const normalized = normalizeUnit(unit)
  const letter = normalized[0] as string
  const binary = normalized.slice(1) === 'i'
  if (normalized.length > (binary ? 2 : 1)) return undefined
  if (letter === 'M' && !binary) return { num: DECIMAL.m as bigint, den: 1n }
  if (letter === 'm' && !binary) return undefined
  const table = binary ? BINARY : DECIMAL
  const factor = table[letter.toLowerCase()]
  return factor === undefined ? undefined : { num: factor, den: 1n }
}

/**
 * Charge the exact arithmetic on an amount (`123.45e6`): its digits and exponent make the size
 * of the integers involved, and parsing, dividing and printing them are quadratic in it.
 */
function chargeAmount(ctx: BuiltinContext, num: string): void {
  const m = /^[^eE]*/.exec(num)
  const mantissa = m ? m[0] : num
  let digits = 0
  for (const c of mantissa) if (isDigit(c)) digits++
  const exponent = Math.abs(Number(num.slice(mantissa.length + 1)) || 0)
  chargeWork(ctx, decimalWordsUnits(wordsOfDigits(digits + exponent)))
}

function unitsParse(args: readonly Value[], ctx: BuiltinContext): Value {
  const s = stringArg(args, 0).replace(/"/g, '')
  if (s.includes(' ')) throw builtinError('units.parse: spaces not allowed in resource strings')
  const parts = splitAmount(s)
  if (!parts) throw builtinError('units.parse: exponent too large')
  const [num, unit] = parts
  if (num === '') throw builtinError('units.parse: no amount provided')
  const factor = unitMultiplier(unit)
  if (!factor) throw builtinError(`units.parse: unit ${normalizeUnit(unit)} not recognized`)
  chargeAmount(ctx, num)
  const amount = parseDecimal(num)
  if (!amount) throw builtinError('units.parse: could not parse amount to a number')
  const r = multiply(amount, factor)
  if (r.num % r.den === 0n) return normalizeBig(r.num / r.den)
  // OPA prints non-integers with 10 decimals before turning them into a number.
  return Number(floatString(r, 10))
}

/** units.parse_bytes multipliers on the lower-cased unit: `kb`/`k` 1000, `kib`/`ki` 1024, ... */
function byteMultiplier(unit: string): bigint | undefined {
  if (unit === '') return 1n
  const m = /^([kmgtpe])(i?)(b?)$/.exec(unit)
  if (!m) return undefined
  const letter = m[1] as string
  return m[2] ? BINARY[letter] : DECIMAL[letter]
}

function unitsParseBytes(args: readonly Value[], ctx: BuiltinContext): Value {
  const s = stringArg(args, 0).toLowerCase().replace(/"/g, '')
  if (s.includes(' ')) throw builtinError('units.parse_bytes: spaces not allowed in resource strings')
  const parts = splitAmount(s)
  if (!parts) throw builtinError('units.parse_bytes: exponent too large')
  const [num, unit] = parts
  if (num === '') throw builtinError('units.parse_bytes: no byte amount provided')
  const factor = byteMultiplier(unit)
  if (factor === undefined) throw builtinError(`units.parse_bytes: byte unit ${unit} not recognized`)
  chargeAmount(ctx, num)
  const amount = parseDecimal(num)
  if (!amount) throw builtinError('units.parse_bytes: could not parse byte amount to a number')
  // OPA multiplies in big.Float at 64-bit precision, then truncates to an integer.
  const a = roundToBits(amount, 64)
  const product = roundToBits(
    {
      num: a.exp >= 0 ? (a.mant * factor) << BigInt(a.exp) : a.mant * factor,
      den: a.exp >= 0 ? 1n : 1n << BigInt(-a.exp),
    },
    64,
  )
  return normalizeBig(truncate(product.mant, product.exp))
}

export const unitsBuiltins: readonly BuiltinDef[] = [
  builtin('units.parse', 1, unitsParse),
  builtin('units.parse_bytes', 1, unitsParseBytes),
]
