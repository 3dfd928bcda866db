import { RegoObject, RegoSet, typeName, type Value } from '../../value/value.ts'
import { objectArg, operandTypeError } from '../args.ts'
import { builtin, BuiltinError, type BuiltinDef } from '../builtin.ts'
import { WorkMeter } from '../work.ts'

/**
 * One JSON path operand element: a string `"a/b/c"` (leading slashes dropped, `~1` → `/`,
 * `~0` → `~`, `""` = the root) or an array of segments of any type.
 */
export function parsePath(p: Value): Value[] {
  if (typeof p === 'string') {
    if (p === '') return []
    return p
      .replace(/^\/+/, '')
      .split('/')
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
  }
  if (Array.isArray(p)) return [...p]
  throw new BuiltinError(
    'eval_type_error',
    `operand 2 must be one of {set, array} containing string paths or array of path segments but got ${typeName(p)}`,
  )
}

function pathsOperand(v: Value): Value[][] {
  if (Array.isArray(v)) return v.map(parsePath)
  if (v instanceof RegoSet) return v.values().map(parsePath)
  throw operandTypeError(2, ['set', 'array'], v)
}

/**
 * Paths as a tree of objects whose leaves are null: `["a/b", "a/c"]` → `{"a": {"b": null,
 * "c": null}}`. A shorter path ending where a longer one passes through replaces it; a longer
 * path below an existing leaf is dropped. Empty paths are ignored.
 */
export function pathsToTree(paths: readonly Value[][]): RegoObject {
  const root = new RegoObject()
  for (const path of paths) {
    if (path.length === 0) continue
    let node = root
    let covered = false
    for (let i = 0; i < path.length - 1; i++) {
      const k = path[i] as Value
      const child = node.get(k)
      if (child === undefined) {
        const obj = new RegoObject()
        node.set(k, obj)
        node = obj
      } else if (child instanceof RegoObject) {
        node = child
      } else {
        covered = true
        break
      }
    }
    if (!covered) node.set(path[path.length - 1] as Value, null)
  }
  return root
}

/** Members of a composite, visited (and charged) when it is filtered or pruned. */
function memberCount(v: Value): number {
  if (Array.isArray(v)) return v.length
  if (v instanceof RegoObject || v instanceof RegoSet) return v.size
  return 0
}

/**
 * Keep only what the filter tree selects (OPA's Object.Filter). Array positions are string keys.
 * Every composite the tree reaches is copied member by member, and charged.
 */
export function filterByTree(v: Value, filter: Value, meter: WorkMeter): Value {
  if (filter === null) return v
  if (!(filter instanceof RegoObject)) return v
  meter.add(memberCount(v))
  if (Array.isArray(v)) {
    const out: Value[] = []
    v.forEach((e, i) => {
      const sub = filter.get(String(i))
      if (sub !== undefined) out.push(filterByTree(e, sub, meter))
    })
    return out
  }
  if (v instanceof RegoSet) {
    const out = new RegoSet()
    for (const e of v.values()) {
      const sub = filter.get(e)
      if (sub !== undefined) out.add(filterByTree(e, sub, meter))
    }
    return out
  }
  if (v instanceof RegoObject) {
    const out = new RegoObject()
    for (const [k, val] of v.entries()) {
      const sub = filter.get(k)
      if (sub !== undefined) out.set(k, filterByTree(val, sub, meter))
    }
    return out
  }
  return v
}

/** Drop what the tree's null leaves point at; arrays close up the gaps. Copies are charged as above. */
export function removeByTree(v: Value, tree: Value | undefined, meter: WorkMeter): Value | undefined {
  if (tree === undefined) return v
  if (tree === null) return undefined
  if (!(tree instanceof RegoObject)) return v
  meter.add(memberCount(v))
  if (Array.isArray(v)) {
    const out: Value[] = []
    v.forEach((e, i) => {
      const kept = removeByTree(e, tree.get(String(i)), meter)
      if (kept !== undefined) out.push(kept)
    })
    return out
  }
  if (v instanceof RegoSet) {
    const out = new RegoSet()
    for (const e of v.values()) {
      const kept = removeByTree(e, tree.get(e), meter)
      if (kept !== undefined) out.add(kept)
    }
    return out
  }
  if (v instanceof RegoObject) {
    const out = new RegoObject()
    for (const [k, val] of v.entries()) {
      const kept = removeByTree(val, tree.get(k), meter)
      if (kept !== undefined) out.set(k, kept)
    }
    return out
  }
  return v
}

export const jsonPathBuiltins: readonly BuiltinDef[] = [
  builtin('json.filter', 2, (args, ctx) => {
    const obj = objectArg(args, 0)
    const meter = new WorkMeter(ctx)
    const out = filterByTree(obj, pathsToTree(pathsOperand(args[1] ?? null)), meter)
    meter.done()
    return out
  }),
  builtin('json.remove', 2, (args, ctx) => {
    const obj = objectArg(args, 0)
    const meter = new WorkMeter(ctx)
    const out = removeByTree(obj, pathsToTree(pathsOperand(args[1] ?? null)), meter)
    meter.done()
    return out
  }),
]
