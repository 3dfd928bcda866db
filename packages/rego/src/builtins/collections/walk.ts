import { RegoObject, RegoSet, type Value } from '../../value/value.ts'
import { builtinError } from '../args.ts'
import { builtin, type BuiltinDef } from '../builtin.ts'
import { CHARGE_BATCH } from '../work.ts'

/** One collection being walked: its members as [path segment, value], and the next one. */
interface Level {
  readonly members: readonly (readonly [Value, Value])[]
  next: number
}

function members(v: Value): readonly (readonly [Value, Value])[] | undefined {
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map((x, i) => [i, x] as const)
  if (v instanceof RegoObject) return v.size === 0 ? undefined : v.entries()
  if (v instanceof RegoSet) return v.size === 0 ? undefined : v.values().map((e) => [e, e] as const)
  return undefined
}

/**
 * Every `[path, value]` pair below `v`, pre-order: the value itself first (path `[]`), then
 * array elements by index, object entries by key order, set members in order (a member is
 * its own path segment). Iterative, so deep values do not exhaust the stack; each pair's path
 * is a copy, charged to the evaluation (a value n levels deep has paths of n² elements).
 */
export function* walkValue(v: Value, charge?: (units: number) => void): Generator<Value, void, undefined> {
  yield [[], v]
  const path: Value[] = []
  const stack: Level[] = []
  const first = members(v)
  if (first) stack.push({ members: first, next: 0 })
  let copied = 0
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as Level
    const m = top.members[top.next++]
    if (m === undefined) {
      stack.pop()
      path.pop()
      continue
    }
    const [seg, child] = m
    copied += path.length + 1
    if (charge && copied >= CHARGE_BATCH) {
      charge(copied)
      copied = 0
    }
    yield [[...path, seg], child]
    const below = members(child)
    if (below) {
      path.push(seg)
      stack.push({ members: below, next: 0 })
    }
  }
  if (charge && copied > 0) charge(copied)
}

export const walkBuiltins: readonly BuiltinDef[] = [
  builtin(
    'walk',
    1,
    () => {
      throw builtinError('walk is a relation')
    },
    { relation: (args, ctx) => walkValue(args[0] ?? null, ctx.charge) },
  ),
]
