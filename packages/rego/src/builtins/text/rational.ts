/**
 * Exact decimal parsing and the two roundings OPA's units builtins go through: big.Rat's
 * FloatString (units.parse) and big.Float at 64-bit precision (units.parse_bytes).
 */

export interface Rational {
  num: bigint
  den: bigint
}

/** big.Rat.SetString for decimal text: `[+-]digits[.digits][e[+-]digits]`. */
export function parseDecimal(text: string): Rational | undefined {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(text)
  if (!m) return undefined
  const whole = m[2] as string
  const frac = m[3] ?? ''
  if (whole === '' && frac === '') return undefined
  const exp = Number(m[4] ?? '0') - frac.length
  let num = BigInt(whole + frac || '0')
  if (m[1] === '-') num = -num
  return exp >= 0 ? { num: num * 10n ** BigInt(exp), den: 1n } : { num, den: 10n ** BigInt(-exp) }
}

/** The exact value of a double. */
export function rationalOf(x: number): Rational {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const bits = view.getBigUint64(0)
  const rawExp = Number((bits >> 52n) & 0x7ffn)
  let mant = bits & ((1n << 52n) - 1n)
  let exp = -1074
  if (rawExp !== 0) {
    mant |= 1n << 52n
    exp = rawExp - 1075
  }
  if (bits >> 63n) mant = -mant
  return exp >= 0 ? { num: mant << BigInt(exp), den: 1n } : { num: mant, den: 1n << BigInt(-exp) }
}

export function multiply(a: Rational, b: Rational): Rational {
  return { num: a.num * b.num, den: a.den * b.den }
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n
}

/** big.Rat.FloatString(prec): fixed digits, halves rounded away from zero. */
export function floatString(r: Rational, prec: number): string {
  const scale = 10n ** BigInt(prec)
  const n = abs(r.num) * scale
  let q = n / r.den
  if ((n % r.den) * 2n >= r.den) q++
  const digits = q.toString().padStart(prec + 1, '0')
  const sign = r.num < 0n ? '-' : ''
  return prec === 0 ? sign + digits : `${sign}${digits.slice(0, -prec)}.${digits.slice(-prec)}`
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length
}

/** Round to `bits` significant bits, ties to even: the value as mant × 2^exp. */
export function roundToBits(r: Rational, bits: number): { mant: bigint; exp: number } {
  const neg = r.num < 0n
  const num = abs(r.num)
  if (num === 0n) return { mant: 0n, exp: 0 }
  let exp = bitLength(num) - bitLength(r.den) - bits
  for (;;) {
    const n = exp >= 0 ? num : num << BigInt(-exp)
    const d = exp >= 0 ? r.den << BigInt(exp) : r.den
    let q = n / d
    const rem = n % d
    if (bitLength(q) > bits) {
      exp++
      continue
    }
    if (bitLength(q) < bits) {
      exp--
      continue
    }
    if (rem * 2n > d || (rem * 2n === d && (q & 1n) === 1n)) q++
    if (bitLength(q) > bits) {
      q >>= 1n
      exp++
    }
    return { mant: neg ? -q : q, exp }
  }
}

/** Truncate mant × 2^exp toward zero. */
export function truncate(mant: bigint, exp: number): bigint {
  if (exp >= 0) return mant << BigInt(exp)
  const m = abs(mant) >> BigInt(-exp)
  return mant < 0n ? -m : m
}
