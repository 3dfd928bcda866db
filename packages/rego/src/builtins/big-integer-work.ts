import type { RegoNumber } from '../value/number.ts'
import type { BuiltinContext } from './builtin.ts'
import { chargeWork } from './work.ts'

/**
 * Work accounting for arbitrary-precision integers (see work.ts). Sizes are in 64-bit words;
 * a unit is about 16 word operations. Linear operations (addition, bitwise) cost the operands'
 * words, multiplication and division the product of the two sizes, and conversion between an
 * integer and decimal text the square of its size (schoolbook bounds: V8 is faster on huge
 * numbers, so these over-charge exactly the requests that are hostile anyway).
 */

const WORDS_PER_UNIT = 16
const WORD_BITS = 64
const LOG2_10 = Math.log2(10)
const ONE_WORD = 1n << 64n
/** Integers below this in magnitude are counted as this many words without measuring them. */
const SMALL = 1n << 1024n
const SMALL_WORDS = 16

/** Size of a number in 64-bit words (a double counts as one). Measuring a huge integer is linear. */
export function wordsOf(n: RegoNumber): number {
  if (typeof n !== 'bigint') return 1
  if (n < ONE_WORD && n > -ONE_WORD) return 1
  if (n < SMALL && n > -SMALL) return SMALL_WORDS
  return Math.ceil(n.toString(16).length / 16)
}

/** Size of a number in bits, at least one (an estimate above 64 bits: a multiple of 64). */
export function bitsOf(n: RegoNumber): number {
  if (typeof n === 'number') return Math.max(1, Math.ceil(Math.log2(Math.abs(n) + 1)))
  return wordsOf(n) * WORD_BITS
}

/** Words of an integer with `digits` decimal digits. */
export function wordsOfDigits(digits: number): number {
  return Math.ceil((digits * LOG2_10) / WORD_BITS)
}

/** Words of an integer of `bits` bits. */
export function wordsOfBits(bits: number): number {
  return Math.ceil(bits / WORD_BITS)
}

/** Charge a linear pass over integers of these sizes (addition, subtraction, bitwise operations, shifts). */
export function chargeLinear(ctx: BuiltinContext, words: number): void {
  chargeWork(ctx, words / WORDS_PER_UNIT)
}

/** Charge a multiplication, division or remainder of integers of these sizes. */
export function chargeProduct(ctx: BuiltinContext, a: number, b: number): void {
  chargeWork(ctx, (a * b) / WORDS_PER_UNIT)
}

/** Units for converting an integer of `words` words to or from decimal text. */
export function decimalWordsUnits(words: number): number {
  return (words * words) / WORDS_PER_UNIT
}

/** Charge converting an integer of `words` words to or from decimal text. */
export function chargeDecimal(ctx: BuiltinContext, words: number): void {
  chargeWork(ctx, decimalWordsUnits(words))
}

/** Units for writing `n` as decimal text: none unless it is a big integer (quadratic in its size). */
export function decimalUnits(n: RegoNumber): number {
  if (typeof n !== 'bigint' || (n < ONE_WORD && n > -ONE_WORD)) return 0
  return decimalWordsUnits(wordsOf(n))
}

/** Charge the decimal text of `n` when it is a big integer. */
export function chargeDecimalOf(ctx: BuiltinContext, n: RegoNumber): void {
  chargeWork(ctx, decimalUnits(n))
}
