import { compare } from './compare.ts'
import { compareStrings } from './string-order.ts'

/**
 * A Rego value. Scalars are JS primitives; numbers are a JS `number` unless they are integers
 * outside the safe range, which are `bigint` (see number.ts for the invariant). Arrays are plain
 * JS arrays (never mutated once shared); objects and sets are the classes below, which accept
 * any value as a key or element and iterate in OPA's total order.
 */
export type Value = null | boolean | number | bigint | string | Value[] | RegoObject | RegoSet

export type TypeName = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'set'

export function typeName(v: Value): TypeName {
  if (v === null) return 'null'
  switch (typeof v) {
    case 'boolean':
      return 'boolean'
    case 'number':
    case 'bigint':
      return 'number'
    case 'string':
      return 'string'
    default:
      if (Array.isArray(v)) return 'array'
      return v instanceof RegoObject ? 'object' : 'set'
  }
}

/** Rank of each type in OPA's total order: null < boolean < number < string < array < object < set. */
export function typeRank(v: Value): number {
  if (v === null) return 0
  switch (typeof v) {
    case 'boolean':
      return 1
    case 'number':
    case 'bigint':
      return 2
    case 'string':
      return 3
    default:
      if (Array.isArray(v)) return 4
      return v instanceof RegoObject ? 5 : 6
  }
}

export function isNumber(v: Value): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint'
}

export function isObject(v: Value): v is RegoObject {
  return v instanceof RegoObject
}

export function isSet(v: Value): v is RegoSet {
  return v instanceof RegoSet
}

/**
 * Canonical text of a value such that two values are equal in Rego exactly when their keys are
 * equal. Used to index non-string object keys and set elements.
 */
export function keyOf(v: Value): string {
  if (v === null) return 'n'
  switch (typeof v) {
    case 'boolean':
      return v ? 't' : 'f'
    case 'number':
      if (Number.isInteger(v) && !Number.isSafeInteger(v)) return '#' + BigInt(v).toString()
      return '#' + String(v === 0 ? 0 : v)
    case 'bigint':
      return '#' + v.toString()
    case 'string':
      return 's' + JSON.stringify(v)
    default:
      break
  }
  if (Array.isArray(v)) {
    let out = '['
    for (let i = 0; i < v.length; i++) out += (i ? ',' : '') + keyOf(v[i] as Value)
    return out + ']'
  }
  if (v instanceof RegoObject) {
    let out = '{'
    let first = true
    for (const [k, val] of v.entries()) {
      out += (first ? '' : ',') + keyOf(k) + ':' + keyOf(val)
      first = false
    }
    return out + '}'
  }
  let out = '<'
  let first = true
  for (const e of v.values()) {
    out += (first ? '' : ',') + keyOf(e)
    first = false
  }
  return out + '>'
}

/** Sort entries whose keys are not strings by OPA's order; strings go in between by rank. */
function mergeSorted<T>(
  strs: Iterable<string>,
  strToItem: (s: string) => T,
  others: T[],
  keyOfItem: (t: T) => Value,
  cmp: (a: Value, b: Value) => number,
): T[] {
  const sortedStrs = [...strs].sort(compareStrings)
  if (others.length === 0) return sortedStrs.map(strToItem)
  others.sort((a, b) => cmp(keyOfItem(a), keyOfItem(b)))
  const low: T[] = []
  const high: T[] = []
  for (const o of others) (typeRank(keyOfItem(o)) < 3 ? low : high).push(o)
  return [...low, ...sortedStrs.map(strToItem), ...high]
}

/**
 * A Rego object. Build it with `set` before sharing it; afterwards treat it as immutable
 * (the sorted view is cached on first iteration).
 */
export class RegoObject {
  private readonly strs = new Map<string, Value>()
  private others: Map<string, [Value, Value]> | undefined
  private sorted: [Value, Value][] | undefined

  static from(entries: Iterable<readonly [Value, Value]>): RegoObject {
    const o = new RegoObject()
    for (const [k, v] of entries) o.set(k, v)
    return o
  }

  get size(): number {
    return this.strs.size + (this.others?.size ?? 0)
  }

  get(key: Value): Value | undefined {
    if (typeof key === 'string') return this.strs.get(key)
    return this.others?.get(keyOf(key))?.[1]
  }

  has(key: Value): boolean {
    if (typeof key === 'string') return this.strs.has(key)
    return this.others?.has(keyOf(key)) ?? false
  }

  set(key: Value, value: Value): this {
    this.sorted = undefined
    if (typeof key === 'string') this.strs.set(key, value)
    else (this.others ??= new Map()).set(keyOf(key), [key, value])
    return this
  }

  delete(key: Value): boolean {
    this.sorted = undefined
    if (typeof key === 'string') return this.strs.delete(key)
    return this.others?.delete(keyOf(key)) ?? false
  }

  /** Entries in OPA's key order. */
  entries(): readonly [Value, Value][] {
    if (!this.sorted) {
      this.sorted = mergeSorted<[Value, Value]>(
        this.strs.keys(),
        (s) => [s, this.strs.get(s) as Value],
        this.others ? [...this.others.values()] : [],
        (e) => e[0],
        compare,
      )
    }
    return this.sorted
  }

  keys(): Value[] {
    return this.entries().map((e) => e[0])
  }

  values(): Value[] {
    return this.entries().map((e) => e[1])
  }

  /** True when every key is a string: the object has a plain JSON shape. */
  hasOnlyStringKeys(): boolean {
    return !this.others || this.others.size === 0
  }

  /** A shallow copy that may be modified with `set`/`delete`. */
  clone(): RegoObject {
    const o = new RegoObject()
    for (const [k, v] of this.strs) o.strs.set(k, v)
    if (this.others) o.others = new Map(this.others)
    return o
  }
}

/** A Rego set. Same build-then-share rule as RegoObject. */
export class RegoSet {
  private readonly strs = new Set<string>()
  private others: Map<string, Value> | undefined
  private sorted: Value[] | undefined

  static from(items: Iterable<Value>): RegoSet {
    const s = new RegoSet()
    for (const v of items) s.add(v)
    return s
  }

  get size(): number {
    return this.strs.size + (this.others?.size ?? 0)
  }

  has(v: Value): boolean {
    if (typeof v === 'string') return this.strs.has(v)
    return this.others?.has(keyOf(v)) ?? false
  }

  add(v: Value): this {
    if (typeof v === 'string') {
      if (!this.strs.has(v)) {
        this.strs.add(v)
        this.sorted = undefined
      }
      return this
    }
    const k = keyOf(v)
    const others = (this.others ??= new Map())
    if (!others.has(k)) {
      others.set(k, v)
      this.sorted = undefined
    }
    return this
  }

  delete(v: Value): boolean {
    this.sorted = undefined
    if (typeof v === 'string') return this.strs.delete(v)
    return this.others?.delete(keyOf(v)) ?? false
  }

  /** Elements in OPA's order. */
  values(): readonly Value[] {
    if (!this.sorted) {
      this.sorted = mergeSorted<Value>(
        this.strs,
        (s) => s,
        this.others ? [...this.others.values()] : [],
        (v) => v,
        compare,
      )
    }
    return this.sorted
  }

  clone(): RegoSet {
    const s = new RegoSet()
    for (const v of this.strs) s.strs.add(v)
    if (this.others) s.others = new Map(this.others)
    return s
  }
}
