/**
 * Rego numbers.
 *
 * Invariant: a `bigint` is only ever an integer whose magnitude exceeds Number.MAX_SAFE_INTEGER;
 * every other number is a JS `number`. Integer arithmetic is exact (it moves to bigint when it
 * leaves the safe range); anything with a fraction is IEEE double, as in regorus. OPA itself uses
 * 64-bit-mantissa big.Float for fractions (0.1 + 0.2 == 0.3 there); docs/rego.md notes the gap.
 */
export type RegoNumber = number | bigint

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

/** Bring a bigint back to a number when it fits, keeping the invariant. */
export function normalizeBig(b: bigint): RegoNumber {
  return b <= MAX_SAFE && b >= -MAX_SAFE ? Number(b) : b
}

export function isInteger(n: RegoNumber): boolean {
  return typeof n === 'bigint' || Number.isInteger(n)
}

/** The exact integer value, or undefined when the number has a fraction or is not finite. */
export function toBigInt(n: RegoNumber): bigint | undefined {
  if (typeof n === 'bigint') return n
  return Number.isInteger(n) ? BigInt(n) : undefined
}

/** Parse a Rego/JSON number literal. Returns undefined for text that is not a number. */
export function parseNumberLiteral(text: string): RegoNumber | undefined {
  if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(text)) return undefined
  if (/^-?[0-9]+$/.test(text)) {
    const n = Number(text)
    if (n === 0) return 0
    return Number.isSafeInteger(n) ? n : BigInt(text)
  }
  const f = Number(text)
  if (!Number.isFinite(f)) return undefined
  return f === 0 ? 0 : f
}

export function compareNumbers(a: RegoNumber, b: RegoNumber): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0
  const ai = toBigInt(a)
  const bi = toBigInt(b)
  if (ai !== undefined && bi !== undefined) return ai < bi ? -1 : ai > bi ? 1 : 0
  const x = Number(a)
  const y = Number(b)
  return x < y ? -1 : x > y ? 1 : 0
}

function integerOp(
  a: RegoNumber,
  b: RegoNumber,
  small: (x: number, y: number) => number,
  big: (x: bigint, y: bigint) => bigint,
): RegoNumber {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = small(a, b)
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r
  }
  return normalizeBig(big(BigInt(a), BigInt(b)))
}

export function add(a: RegoNumber, b: RegoNumber): RegoNumber {
  if (isInteger(a) && isInteger(b))
    return integerOp(
      a,
      b,
      (x, y) => x + y,
      (x, y) => x + y,
    )
  return Number(a) + Number(b)
}

export function subtract(a: RegoNumber, b: RegoNumber): RegoNumber {
  if (isInteger(a) && isInteger(b))
    return integerOp(
      a,
      b,
      (x, y) => x - y,
      (x, y) => x - y,
    )
  return Number(a) - Number(b)
}

export function multiply(a: RegoNumber, b: RegoNumber): RegoNumber {
  if (isInteger(a) && isInteger(b))
    return integerOp(
      a,
      b,
      (x, y) => x * y,
      (x, y) => x * y,
    )
  const r = Number(a) * Number(b)
  return r === 0 ? 0 : r
}

/** Division; undefined for division by zero (the caller raises OPA's error). */
export function divide(a: RegoNumber, b: RegoNumber): RegoNumber | undefined {
  if (Number(b) === 0 && (typeof b === 'number' || b === 0n)) return undefined
  const ai = toBigInt(a)
  const bi = toBigInt(b)
  if (ai !== undefined && bi !== undefined && ai % bi === 0n) return normalizeBig(ai / bi)
  const r = Number(a) / Number(b)
  return r === 0 ? 0 : r
}

/** Remainder of two integers (sign of the dividend, as Go); undefined when b is zero. */
export function remainder(a: bigint, b: bigint): RegoNumber | undefined {
  if (b === 0n) return undefined
  return normalizeBig(a % b)
}

export function negate(a: RegoNumber): RegoNumber {
  if (typeof a === 'bigint') return normalizeBig(-a)
  return a === 0 ? 0 : -a
}

/**
 * Text of a number as OPA renders a computed number: integers in full, fractions as Go's
 * shortest `%g`-like form that JSON accepts.
 */
export function formatNumber(n: RegoNumber): string {
  if (typeof n === 'bigint') return n.toString()
  if (Number.isInteger(n)) return Number.isSafeInteger(n) ? String(n) : plainDigits(n)
  return String(n)
}

/**
 * A large integral double in positional notation with its shortest round-trip digits, as Go's
 * FormatFloat(f, 'f', -1) writes it: `1e30` is `1` and 30 zeros, not the binary value's
 * `1000000000000000019884624838656`.
 */
function plainDigits(n: number): string {
  const s = String(n)
  const m = /^(-?)([0-9])(?:\.([0-9]+))?e\+([0-9]+)$/.exec(s)
  if (!m) return s
  const digits = (m[2] ?? '') + (m[3] ?? '')
  return (m[1] ?? '') + digits + '0'.repeat(Number(m[4]) - (digits.length - 1))
}
