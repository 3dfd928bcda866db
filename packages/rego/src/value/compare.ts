import { compareNumbers } from './number.ts'
import { compareStrings } from './string-order.ts'
import { RegoObject, RegoSet, typeRank, type Value } from './value.ts'

/** OPA's total order over all values: -1, 0 or 1. */
export function compare(a: Value, b: Value): number {
  if (a === b) return 0
  const ra = typeRank(a)
  const rb = typeRank(b)
  if (ra !== rb) return ra < rb ? -1 : 1
  switch (ra) {
    case 0:
      return 0
    case 1:
      return a === b ? 0 : a === false ? -1 : 1
    case 2:
      return compareNumbers(a as number | bigint, b as number | bigint)
    case 3:
      return compareStrings(a as string, b as string)
    case 4: {
      const x = a as Value[]
      const y = b as Value[]
      const n = Math.min(x.length, y.length)
      for (let i = 0; i < n; i++) {
        const c = compare(x[i] as Value, y[i] as Value)
        if (c !== 0) return c
      }
      return x.length === y.length ? 0 : x.length < y.length ? -1 : 1
    }
    case 5: {
      const x = (a as RegoObject).entries()
      const y = (b as RegoObject).entries()
      const n = Math.min(x.length, y.length)
      for (let i = 0; i < n; i++) {
        const [xk, xv] = x[i] as [Value, Value]
        const [yk, yv] = y[i] as [Value, Value]
        const c = compare(xk, yk) || compare(xv, yv)
        if (c !== 0) return c
      }
      return x.length === y.length ? 0 : x.length < y.length ? -1 : 1
    }
    default: {
      const x = (a as RegoSet).values()
      const y = (b as RegoSet).values()
      const n = Math.min(x.length, y.length)
      for (let i = 0; i < n; i++) {
        const c = compare(x[i] as Value, y[i] as Value)
        if (c !== 0) return c
      }
      return x.length === y.length ? 0 : x.length < y.length ? -1 : 1
    }
  }
}

/** Rego equality: structural, numbers by value (`1 == 1.0`). */
export function equal(a: Value, b: Value): boolean {
  if (a === b) return true
  if (typeof a === 'number' || typeof a === 'bigint') {
    return (typeof b === 'number' || typeof b === 'bigint') && compareNumbers(a, b) === 0
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!equal(a[i] as Value, b[i] as Value)) return false
    return true
  }
  if (a instanceof RegoObject) {
    if (!(b instanceof RegoObject) || a.size !== b.size) return false
    for (const [k, v] of a.entries()) {
      const w = b.get(k)
      if (w === undefined || !equal(v, w)) return false
    }
    return true
  }
  if (!(b instanceof RegoSet) || a.size !== b.size) return false
  for (const v of a.values()) if (!b.has(v)) return false
  return true
}
