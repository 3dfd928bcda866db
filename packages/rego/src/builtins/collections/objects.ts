import { equal } from '../../value/compare.ts'
import { RegoObject, RegoSet, typeName, type Value } from '../../value/value.ts'
import { arrayArg, objectArg, operandTypeError } from '../args.ts'
import { builtin, BuiltinError, type BuiltinContext, type BuiltinDef } from '../builtin.ts'
import { chargeWork, WorkMeter } from '../work.ts'
import { arrayElement } from './membership.ts'

/** Keys given as an array, a set, or an object's keys (object.remove / object.filter). */
function keySet(v: Value): RegoSet {
  if (Array.isArray(v)) return RegoSet.from(v)
  if (v instanceof RegoSet) return v
  if (v instanceof RegoObject) return RegoSet.from(v.keys())
  throw operandTypeError(2, ['object', 'set', 'array'], v)
}

/**
 * Deep merges where later objects win, except that two objects under the same key are merged
 * (object.union, and object.union_n as a left fold of it). The result is built in place: objects
 * it copied are its own and are merged into directly, so merging many objects stays linear in
 * their sizes, and the entries copied are charged as they are.
 */
class Merge {
  private readonly own = new Set<RegoObject>()
  private readonly meter: WorkMeter
  readonly result: RegoObject

  constructor(first: RegoObject, meter: WorkMeter) {
    this.meter = meter
    this.result = this.copy(first)
  }

  private copy(o: RegoObject): RegoObject {
    this.meter.add(o.size)
    const c = o.clone()
    this.own.add(c)
    return c
  }

  /** Merge `src` into `target`, an object of the result's own. */
  into(target: RegoObject, src: RegoObject): void {
    this.meter.add(src.size)
    for (const [k, v] of src.entries()) {
      const cur = target.get(k)
      if (cur instanceof RegoObject && v instanceof RegoObject) {
        const own = this.own.has(cur) ? cur : this.copy(cur)
        this.into(own, v)
        if (own !== cur) target.set(k, own)
      } else target.set(k, v)
    }
  }
}

function mergeAll(objs: readonly RegoObject[], ctx: BuiltinContext): RegoObject {
  const meter = new WorkMeter(ctx)
  const first = objs[0]
  if (first === undefined) return new RegoObject()
  const merge = new Merge(first, meter)
  for (let i = 1; i < objs.length; i++) merge.into(merge.result, objs[i] as RegoObject)
  meter.done()
  return merge.result
}

/** The value at `path` below `v` (OPA's Value.Find): object keys, array indexes, set members. */
export function findPath(v: Value, path: readonly Value[]): Value | undefined {
  let cur: Value = v
  for (const key of path) {
    let next: Value | undefined
    if (cur instanceof RegoObject) next = cur.get(key)
    else if (Array.isArray(cur)) next = arrayElement(cur, key)
    else if (cur instanceof RegoSet) next = cur.has(key) ? key : undefined
    if (next === undefined) return undefined
    cur = next
  }
  return cur
}

function objectGet(args: readonly Value[]): Value {
  const obj = objectArg(args, 0)
  const key = args[1] ?? null
  const fallback = args[2] ?? null
  // A found null is a result: no `??` here.
  const found = Array.isArray(key) ? findPath(obj, key) : obj.get(key)
  return found === undefined ? fallback : found
}

function objectsIn(arr: readonly Value[]): RegoObject[] {
  return arr.map((x) => {
    if (!(x instanceof RegoObject)) {
      throw new BuiltinError(
        'eval_type_error',
        `operand 1 must be array of objects but got array containing ${typeName(x)}`,
      )
    }
    return x
  })
}

function objectSubset(sup: RegoObject, sub: RegoObject, meter: WorkMeter): boolean {
  meter.add(sub.size)
  for (const [k, subV] of sub.entries()) {
    const supV = sup.get(k)
    if (supV === undefined) return false
    if (equal(subV, supV)) continue
    if (!nestedSubset(supV, subV, meter)) return false
  }
  return true
}

/** Subset between two values of the same kind below an object key (not array-vs-set). */
function nestedSubset(sup: Value, sub: Value, meter: WorkMeter): boolean {
  if (sup instanceof RegoObject && sub instanceof RegoObject) return objectSubset(sup, sub, meter)
  if (sup instanceof RegoSet && sub instanceof RegoSet) return setSubset(sup, sub, meter)
  if (Array.isArray(sup) && Array.isArray(sub)) return arraySubset(sup, sub, meter)
  return false
}

function setSubset(sup: RegoSet, sub: RegoSet, meter: WorkMeter): boolean {
  meter.add(sub.size)
  return sub.values().every((v) => sup.has(v))
}

/** `sub` appears as a contiguous run inside `sup` (comparisons: up to the product of the lengths). */
function arraySubset(sup: readonly Value[], sub: readonly Value[], meter: WorkMeter): boolean {
  if (sub.length > sup.length) return false
  outer: for (let start = 0; start + sub.length <= sup.length; start++) {
    for (let j = 0; j < sub.length; j++) {
      meter.add(1)
      if (!equal(sup[start + j] as Value, sub[j] as Value)) continue outer
    }
    return true
  }
  return false
}

/**
 * Every element of the set occurs in the array. As in OPA, the count of matches includes
 * repeated array elements and is checked only after an element has been seen.
 */
function arraySetSubset(sup: readonly Value[], sub: RegoSet): boolean {
  let unmatched = sub.size
  for (const x of sup) {
    if (sub.has(x)) unmatched--
    if (unmatched === 0) return true
  }
  return false
}

function subset(args: readonly Value[], ctx: BuiltinContext): boolean {
  const sup = args[0] ?? null
  const sub = args[1] ?? null
  if (Array.isArray(sup) && sub instanceof RegoSet) {
    chargeWork(ctx, sup.length)
    return arraySetSubset(sup, sub)
  }
  const kindsMatch =
    (sup instanceof RegoObject && sub instanceof RegoObject) ||
    (sup instanceof RegoSet && sub instanceof RegoSet) ||
    (Array.isArray(sup) && Array.isArray(sub))
  if (!kindsMatch) {
    throw new BuiltinError('eval_type_error', 'both arguments object.subset must be of the same type or array and set')
  }
  const meter = new WorkMeter(ctx)
  const result = nestedSubset(sup, sub, meter)
  meter.done()
  return result
}

export const objectBuiltins: readonly BuiltinDef[] = [
  builtin('object.union', 2, (args, ctx) => {
    const a = objectArg(args, 0)
    const b = objectArg(args, 1)
    return mergeAll([a, b], ctx)
  }),
  builtin('object.union_n', 1, (args, ctx) => mergeAll(objectsIn(arrayArg(args, 0)), ctx)),
  builtin('object.remove', 2, (args, ctx) => {
    const obj = objectArg(args, 0)
    const keys = keySet(args[1] ?? null)
    chargeWork(ctx, obj.size)
    const out = new RegoObject()
    for (const [k, v] of obj.entries()) if (!keys.has(k)) out.set(k, v)
    return out
  }),
  builtin('object.filter', 2, (args, ctx) => {
    const obj = objectArg(args, 0)
    const keys = keySet(args[1] ?? null)
    chargeWork(ctx, keys.size)
    const out = new RegoObject()
    for (const k of keys.values()) {
      const v = obj.get(k)
      if (v !== undefined) out.set(k, v)
    }
    return out
  }),
  builtin('object.get', 3, objectGet),
  builtin('object.keys', 1, (args, ctx) => {
    const obj = objectArg(args, 0)
    chargeWork(ctx, obj.size)
    return RegoSet.from(obj.keys())
  }),
  builtin('object.subset', 2, subset),
]
