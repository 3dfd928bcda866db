import { equal } from '../../value/compare.ts'
import { RegoObject, RegoSet, type Value } from '../../value/value.ts'
import { arrayArg } from '../args.ts'
import { builtin, BuiltinError, type BuiltinContext, type BuiltinDef } from '../builtin.ts'
import { WorkMeter } from '../work.ts'
import { parsePath } from './json-paths.ts'

/**
 * json.patch: RFC 6902 operations as OPA applies them. Paths are strings (`"/a/0"`) or arrays
 * of segments; sets can be patched too (a set member is its own key). Any failing operation
 * makes the whole call undefined, never an error.
 */

/** Any failure inside a patch; caught below and turned into an undefined result. */
function fail(): never {
  throw new BuiltinError('eval_builtin_error', 'json patch operation failed')
}

/** A document that a `remove` of the root path has deleted is `undefined`. */
type Doc = Value | undefined

/** `v` itself, failing when it is missing (null is a present value). */
function present(v: Value | undefined): Value {
  return v === undefined ? fail() : v
}

/** Array index from a path segment: an integer, `-` (the end), or a decimal string. */
function toIndex(length: number, key: Value): number {
  if (typeof key === 'number') return Number.isInteger(key) ? key : fail()
  if (typeof key === 'bigint') return Number(key)
  if (typeof key !== 'string') fail()
  if (key === '-') return length
  // Go's strconv.ParseInt: optional sign, decimal digits, int64 range; no leading zeros here.
  if (!/^[+-]?[0-9]+$/.test(key)) fail()
  const n = BigInt(key)
  if (n < -(2n ** 63n) || n >= 2n ** 63n) fail()
  if (key !== '0' && key.startsWith('0')) fail()
  return Number(n)
}

/** The child of a composite at `key`, or a failure when it does not exist. */
function child(parent: Doc, key: Value): Value {
  if (parent instanceof RegoObject) return present(parent.get(key))
  if (parent instanceof RegoSet) return parent.has(key) ? key : fail()
  if (Array.isArray(parent)) {
    const i = toIndex(parent.length, key)
    return i >= 0 && i < parent.length ? (parent[i] as Value) : fail()
  }
  return fail()
}

function replaceChild(parent: Doc, key: Value, value: Value): Value {
  if (parent instanceof RegoObject) return parent.clone().set(key, value)
  if (parent instanceof RegoSet) {
    const out = parent.clone()
    out.delete(key)
    return out.add(value)
  }
  if (Array.isArray(parent)) {
    const out = [...parent]
    out[toIndex(parent.length, key)] = value
    return out
  }
  return fail()
}

function insertChild(parent: Doc, key: Value, value: Value): Value {
  if (parent instanceof RegoObject) return parent.clone().set(key, value)
  if (parent instanceof RegoSet) return equal(key, value) ? parent.clone().add(value) : fail()
  if (Array.isArray(parent)) {
    const i = toIndex(parent.length, key)
    if (i < 0 || i > parent.length) fail()
    return [...parent.slice(0, i), value, ...parent.slice(i)]
  }
  return fail()
}

function deleteChild(parent: Doc, key: Value): Value {
  if (parent instanceof RegoObject) {
    if (!parent.has(key)) fail()
    const out = parent.clone()
    out.delete(key)
    return out
  }
  if (parent instanceof RegoSet) {
    if (!parent.has(key)) fail()
    const out = parent.clone()
    out.delete(key)
    return out
  }
  if (Array.isArray(parent)) {
    const i = toIndex(parent.length, key)
    if (i < 0 || i >= parent.length) fail()
    return [...parent.slice(0, i), ...parent.slice(i + 1)]
  }
  return fail()
}

function valueAt(doc: Doc, path: readonly Value[]): Doc {
  let cur = doc
  for (const key of path) cur = child(cur, key)
  return cur
}

function sizeOf(v: Doc): number {
  if (Array.isArray(v)) return v.length
  if (v instanceof RegoObject || v instanceof RegoSet) return v.size
  return 1
}

/**
 * Apply `edit` to the parent of the path's last segment, rebuilding the ancestors. Each one
 * rebuilt is a copy, charged by its size: many operations on a large document are a product of
 * the two.
 */
function editParent(
  doc: Doc,
  path: readonly Value[],
  edit: (parent: Doc, key: Value) => Value,
  meter: WorkMeter,
  depth = 0,
): Value {
  const key = path[depth] as Value
  meter.add(sizeOf(doc))
  if (depth === path.length - 1) return edit(doc, key)
  return replaceChild(doc, key, editParent(child(doc, key), path, edit, meter, depth + 1))
}

function insertAt(doc: Doc, path: readonly Value[], value: Value, meter: WorkMeter): Doc {
  if (path.length === 0) return value
  return editParent(doc, path, (parent, key) => insertChild(parent, key, value), meter)
}

function removeAt(doc: Doc, path: readonly Value[], meter: WorkMeter): Doc {
  if (path.length === 0) return doc === undefined ? fail() : undefined
  return editParent(doc, path, deleteChild, meter)
}

function attribute(op: RegoObject, name: string): Value {
  return present(op.get(name))
}

function applyOperation(doc: Doc, operation: Value, meter: WorkMeter): Doc {
  if (!(operation instanceof RegoObject)) fail()
  const op = attribute(operation, 'op')
  if (typeof op !== 'string') fail()
  const validOps = ['add', 'remove', 'replace', 'move', 'copy', 'test']
  if (!validOps.includes(op)) fail()
  const rawPath = attribute(operation, 'path')
  const from = op === 'move' || op === 'copy' ? attribute(operation, 'from') : undefined
  const value = op === 'add' || op === 'replace' || op === 'test' ? attribute(operation, 'value') : undefined
  const path = parsePath(rawPath)
  switch (op) {
    case 'add':
      return insertAt(doc, path, value as Value, meter)
    case 'remove':
      return removeAt(doc, path, meter)
    case 'replace':
      return insertAt(removeAt(doc, path, meter), path, value as Value, meter)
    case 'move': {
      const fromPath = parsePath(from as Value)
      const moved = present(valueAt(doc, fromPath))
      return insertAt(removeAt(doc, fromPath, meter), path, moved, meter)
    }
    case 'copy': {
      const copied = present(valueAt(doc, parsePath(from as Value)))
      return insertAt(doc, path, copied, meter)
    }
    default: {
      const found = valueAt(doc, path)
      if (found === undefined || !equal(found, value as Value)) fail()
      return doc
    }
  }
}

export function jsonPatch(doc: Value, operations: readonly Value[], ctx: BuiltinContext): Value | undefined {
  const meter = new WorkMeter(ctx)
  try {
    let cur: Doc = doc
    for (const operation of operations) cur = applyOperation(cur, operation, meter)
    meter.done()
    return cur
  } catch (e) {
    // Every failure, parsePath's operand error included, makes the patch undefined (as OPA).
    if (e instanceof BuiltinError) return undefined
    throw e
  }
}

export const jsonPatchBuiltins: readonly BuiltinDef[] = [
  builtin('json.patch', 2, (args, ctx) => jsonPatch(args[0] ?? null, arrayArg(args, 1), ctx)),
]
