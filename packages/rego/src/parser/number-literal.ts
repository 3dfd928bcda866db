import { parseNumberLiteral, type RegoNumber } from '../value/number.ts'

/** Decimal exponents past this are "number too big" (OPA caps the binary exponent at 1e5). */
const MAX_DECIMAL_EXPONENT = 30000

/** Short digit strings (the common case) are exact doubles: skip the general parser. */
function isShortInteger(text: string): boolean {
  if (text.length > 15) return false
  for (let i = text.charCodeAt(0) === 45 ? 1 : 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}

/** The value of a number literal as written (`1.0`, `-.5`, `2e308`); undefined when too big. */
export function numberValue(text: string): RegoNumber | undefined {
  if (isShortInteger(text)) return Number(text) || 0
  const v = parseNumberLiteral(text) ?? Number(text)
  if (typeof v === 'number' && !Number.isFinite(v)) return exactHugeInteger(text)
  return v === 0 ? 0 : v
}

/**
 * A literal beyond the double range (OPA accepts `2e308`) is an integer: keep it exactly as a
 * bigint, as the value model does for every integer past 2^53.
 */
function exactHugeInteger(text: string): bigint | undefined {
  const m = /^(-?)([0-9]*)(?:\.([0-9]*))?[eE]([+-]?[0-9]+)$/.exec(text)
  if (!m) return undefined
  const fraction = m[3] ?? ''
  const shift = Number(m[4]) - fraction.length
  if (shift < 0 || shift > MAX_DECIMAL_EXPONENT) return undefined
  return BigInt(`${m[1]}${m[2] ?? ''}${fraction}${'0'.repeat(shift)}`)
}
