import { parseNumberLiteral, type RegoNumber } from '../../value/number.ts'
import type { Value } from '../../value/value.ts'
import { builtinError, operandTypeError } from '../args.ts'
import { chargeDecimal, wordsOfDigits } from '../big-integer-work.ts'
import { builtin, type BuiltinContext, type BuiltinDef } from '../builtin.ts'
import { numberResult } from './number-result.ts'

/** Decimal forms Go's strconv.ParseFloat accepts (digits may be grouped with `_`). */
const DECIMAL =
  /^[+-]?(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9](?:_?[0-9])*)?$/
/** Hexadecimal floats (`0x1.8p3`): ParseFloat requires the `p` exponent. */
const HEX = /^[+-]?0[xX](?:_?[0-9a-fA-F])*(?:\.[0-9a-fA-F]*)?[pP][+-]?[0-9]+$/

function parseGoFloat(s: string, ctx: BuiltinContext): RegoNumber {
  if (DECIMAL.test(s)) {
    const text = s.replaceAll('_', '')
    const unsigned = text.replace(/^\+/, '')
    // Integers stay exact at any size (reading a huge one is quadratic in its length).
    if (/^-?[0-9]+$/.test(unsigned)) {
      chargeDecimal(ctx, wordsOfDigits(unsigned.length))
      return parseNumberLiteral(unsigned.replace(/^(-?)0+(?=[0-9])/, '$1')) ?? 0
    }
    const f = Number(unsigned)
    if (!Number.isFinite(f)) throw builtinError(`strconv.ParseFloat: parsing ${JSON.stringify(s)}: value out of range`)
    return numberResult(f)
  }
  if (HEX.test(s)) {
    const m = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(s)
    if (m && (m[2] ?? '').replaceAll('_', '') + (m[3] ?? '') !== '') {
      const int = (m[2] ?? '').replaceAll('_', '')
      const frac = m[3] ?? ''
      const mantissa = Number.parseInt(int + frac || '0', 16) / 16 ** frac.length
      const f = mantissa * 2 ** Number(m[4]) * (m[1] === '-' ? -1 : 1)
      if (Number.isFinite(f)) return numberResult(f)
      throw builtinError(`strconv.ParseFloat: parsing ${JSON.stringify(s)}: value out of range`)
    }
  }
  throw builtinError(`strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax`)
}

export function toNumber(v: Value, ctx: BuiltinContext): RegoNumber {
  if (v === null) return 0
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v === 'number' || typeof v === 'bigint') return v
  if (typeof v === 'string') {
    const word = v.replace(/^[+-]+/, '').toLowerCase()
    if (word === 'inf' || word === 'infinity' || word === 'nan') throw operandTypeError(1, 'valid number string', v)
    return parseGoFloat(v, ctx)
  }
  throw operandTypeError(1, ['null', 'boolean', 'number', 'string'], v)
}

export const castBuiltins: readonly BuiltinDef[] = [
  builtin('to_number', 1, (args, ctx) => toNumber(args[0] ?? null, ctx)),
]
