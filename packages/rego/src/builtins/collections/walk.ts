import { RegoObject, RegoSet, type Value } from '../../value/value.ts'
import { builtinError } from '../args.ts'
import { builtin, type BuiltinDef } from '../builtin.ts'

/**
 * Every `[path, value]` pair below `v`, pre-order: the value itself first (path `[]`), then
 * array elements by index, object entries by key order, set members in order (a member is
 * its own path segment).
 */
export function* walkValue(v: Value, path: Value[] = []): Generator<Value, void, undefined> {
  yield [[...path], v]
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) yield* walkValue(v[i] as Value, [...path, i])
  } else if (v instanceof RegoObject) {
    for (const [k, val] of v.entries()) yield* walkValue(val, [...path, k])
  } else if (v instanceof RegoSet) {
    for (const e of v.values()) yield* walkValue(e, [...path, e])
  }
}

export const walkBuiltins: readonly BuiltinDef[] = [
  builtin(
    'walk',
    1,
    () => {
      throw builtinError('walk is a relation')
    },
    { relation: (args) => walkValue(args[0] ?? null) },
  ),
]
