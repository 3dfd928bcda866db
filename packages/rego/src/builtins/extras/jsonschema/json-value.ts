import { toJsonText } from '../../../value/json.ts'
import { formatNumber } from '../../../value/number.ts'
import { RegoObject, RegoSet, type Value } from '../../../value/value.ts'
import type { Rational } from './schema-node.ts'

/** Helpers to treat Rego values as the JSON documents gojsonschema sees (sets are arrays). */

export function isJsonObject(v: Value): v is RegoObject {
  return v instanceof RegoObject
}

export function asArray(v: Value): Value[] | undefined {
  if (Array.isArray(v)) return v
  if (v instanceof RegoSet) return [...v.values()]
  return undefined
}

export function isNumberValue(v: Value): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint'
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a
  b = b < 0n ? -b : b
  while (b !== 0n) [a, b] = [b, a % b]
  return a
}

/** The exact value of a number as written in decimal. */
export function toRational(n: number | bigint): Rational {
  if (typeof n === 'bigint') return { num: n, den: 1n }
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(n))
  if (!m) return { num: 0n, den: 1n }
  const digits = (m[2] ?? '') + (m[3] ?? '')
  const exp = Number(m[4] ?? 0) - (m[3]?.length ?? 0)
  let num = BigInt(digits) * (m[1] === '-' ? -1n : 1n)
  let den = 1n
  if (exp >= 0) num *= 10n ** BigInt(exp)
  else den = 10n ** BigInt(-exp)
  const g = gcd(num, den)
  return g > 1n ? { num: num / g, den: den / g } : { num, den }
}

export function compareRational(a: Rational, b: Rational): number {
  const l = a.num * b.den
  const r = b.num * a.den
  return l < r ? -1 : l > r ? 1 : 0
}

export function isMultiple(value: Rational, of: Rational): boolean {
  // value / of is an integer when value.num * of.den is divisible by value.den * of.num
  const top = value.num * of.den
  const bottom = value.den * of.num
  return bottom !== 0n && top % bottom === 0n
}

/** A rational printed as Go prints a big.Float with %v. */
export function rationalText(r: Rational): string {
  if (r.den === 1n) return r.num.toString()
  return String(Number(r.num) / Number(r.den))
}

/** An object key as the JSON document has it (OPA turns non-string keys into their JSON text). */
export function keyText(k: Value): string {
  return typeof k === 'string' ? k : toJsonText(k)
}

/** gojsonschema's given-type name for a value. */
export function jsonTypeOf(v: Value): string {
  if (v === null) return 'null'
  if (typeof v === 'boolean') return 'boolean'
  if (typeof v === 'string') return 'string'
  if (isNumberValue(v)) return typeof v === 'bigint' || Number.isInteger(v) ? 'integer' : 'number'
  if (v instanceof RegoObject) return 'object'
  return 'array'
}

/**
 * gojsonschema's marshalWithoutNumber: JSON after a round trip through float64, keys sorted.
 * Used to compare values for enum, const and uniqueItems, and to print allowed values.
 */
export function canonicalJson(v: Value): string {
  if (v === null) return 'null'
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false'
    case 'number':
      return formatFloat(v)
    case 'bigint':
      return formatFloat(Number(v))
    case 'string':
      return JSON.stringify(v).replace(
        /[<>&\u2028\u2029]/g,
        (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
      )
    default:
      break
  }
  const arr = asArray(v)
  if (arr) return '[' + arr.map(canonicalJson).join(',') + ']'
  const o = v as RegoObject
  const entries = o.entries().map(([k, val]) => [typeof k === 'string' ? k : formatKey(k), val] as const)
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  return '{' + entries.map(([k, val]) => canonicalJson(k) + ':' + canonicalJson(val)).join(',') + '}'
}

function formatKey(k: Value): string {
  return typeof k === 'number' || typeof k === 'bigint' ? formatNumber(k) : canonicalJson(k)
}

/** encoding/json's float64 format: shortest repr, exponent form outside [1e-6, 1e21). */
function formatFloat(n: number): string {
  const abs = Math.abs(n)
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2')
  }
  return String(n)
}
