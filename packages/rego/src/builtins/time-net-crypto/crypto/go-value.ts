import { normalizeBig } from '../../../value/number.ts'
import { RegoObject, type Value } from '../../../value/value.ts'

/**
 * The shape Go's encoding/json gives a struct, before OPA turns it into a Rego value:
 * byte slices become standard base64 text, big integers JSON numbers, nil slices null.
 */
export type GoJson = null | boolean | number | bigint | string | Uint8Array | GoJson[] | { [key: string]: GoJson }

export function goJsonToValue(x: GoJson): Value {
  if (x === null || typeof x === 'boolean' || typeof x === 'string') return x
  if (typeof x === 'number') return x
  if (typeof x === 'bigint') return normalizeBig(x)
  if (x instanceof Uint8Array) return Buffer.from(x).toString('base64')
  if (Array.isArray(x)) return x.map(goJsonToValue)
  const o = new RegoObject()
  for (const [k, v] of Object.entries(x)) o.set(k, goJsonToValue(v))
  return o
}

/** A nil-able Go slice: empty lists marshal as null. */
export function nilIfEmpty<T extends GoJson>(xs: T[]): T[] | null {
  return xs.length === 0 ? null : xs
}
