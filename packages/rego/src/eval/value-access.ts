import { RegoObject, RegoSet, type Value } from '../value/value.ts'

/** `v[key]` as a reference step: array index, object key or set membership. */
export function indexValue(v: Value, key: Value): Value | undefined {
  if (Array.isArray(v)) {
    if (typeof key !== 'number' || !Number.isInteger(key) || key < 0) return undefined
    return v[key]
  }
  if (v instanceof RegoObject) return v.get(key)
  if (v instanceof RegoSet) return v.has(key) ? key : undefined
  return undefined
}

/** Call `f(key, value)` for each member of a collection until it returns true. */
export function forEachEntry(v: Value, f: (key: Value, value: Value) => boolean): boolean {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (f(i, v[i] as Value)) return true
    return false
  }
  if (v instanceof RegoObject) {
    const entries = v.entries()
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i] as [Value, Value]
      if (f(e[0], e[1])) return true
    }
    return false
  }
  if (v instanceof RegoSet) {
    const items = v.values()
    for (let i = 0; i < items.length; i++) if (f(items[i] as Value, items[i] as Value)) return true
    return false
  }
  return false
}

/** A copy of `base` with `value` at `path`, creating objects along the way. */
export function setPath(base: Value | undefined, path: readonly Value[], value: Value): Value {
  if (path.length === 0) return value
  const obj = base instanceof RegoObject ? base.clone() : new RegoObject()
  const [first, ...rest] = path as [Value, ...Value[]]
  obj.set(first, setPath(obj.get(first), rest, value))
  return obj
}
