import { equal } from '../../value/compare.ts'
import { toBigInt } from '../../value/number.ts'
import { RegoObject, RegoSet, type Value } from '../../value/value.ts'
import { builtin, type BuiltinDef } from '../builtin.ts'
import { chargeWork } from '../work.ts'

/** `x in coll`: elements of arrays and sets, values of objects; false for anything else. */
export function isMember(x: Value, coll: Value): boolean {
  if (coll instanceof RegoSet) return coll.has(x)
  if (Array.isArray(coll)) return coll.some((e) => equal(x, e))
  if (coll instanceof RegoObject) return coll.values().some((v) => equal(x, v))
  return false
}

/** The element of an array at a number index, if the index is an integer in range. */
export function arrayElement(arr: readonly Value[], key: Value): Value | undefined {
  if (typeof key !== 'number' && typeof key !== 'bigint') return undefined
  const i = toBigInt(key)
  if (i === undefined || i < 0n || i >= BigInt(arr.length)) return undefined
  return arr[Number(i)]
}

/** `k, v in coll`: index/element of arrays, key/value of objects, element/element of sets. */
export function isMemberWithKey(key: Value, value: Value, coll: Value): boolean {
  if (coll instanceof RegoSet) return coll.has(key) && equal(key, value)
  let found: Value | undefined
  if (Array.isArray(coll)) found = arrayElement(coll, key)
  else if (coll instanceof RegoObject) found = coll.get(key)
  return found !== undefined && equal(found, value)
}

export const membershipBuiltins: readonly BuiltinDef[] = [
  builtin('internal.member_2', 2, (args, ctx) => {
    const coll = args[1] ?? null
    // Arrays and object values are searched element by element.
    if (Array.isArray(coll)) chargeWork(ctx, coll.length)
    else if (coll instanceof RegoObject) chargeWork(ctx, coll.size)
    return isMember(args[0] ?? null, coll)
  }),
  builtin('internal.member_3', 3, (args) => isMemberWithKey(args[0] ?? null, args[1] ?? null, args[2] ?? null)),
]
