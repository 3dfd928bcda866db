import { RegoError } from '../errors.ts'
import { isObject, RegoObject, type Value } from '../value/value.ts'

/**
 * Merge `doc` into the data document `root` under `path` (e.g. a file found in `a/b/` goes under
 * `data.a.b`). Objects merge key by key; any other value may not overwrite an existing one.
 * Returns the new root; `root` is left unchanged. `source` names the document in errors.
 */
export function mergeDataAt(root: RegoObject, path: readonly string[], doc: Value, source: string): RegoObject {
  if (path.length === 0 && !isObject(doc)) {
    throw new RegoError('invalid_argument', `${source}: a data document at the root must be an object`)
  }
  return mergeUnder(root, path, doc, [], source)
}

function mergeUnder(
  node: RegoObject,
  path: readonly string[],
  doc: Value,
  at: readonly string[],
  source: string,
): RegoObject {
  const [head, ...rest] = path
  if (head === undefined) return mergeValues(node, doc, at, source) as RegoObject
  const here = [...at, head]
  const existing = node.get(head)
  const out = node.clone()
  if (existing === undefined) {
    out.set(head, rest.length === 0 ? doc : mergeUnder(new RegoObject(), rest, doc, here, source))
  } else if (rest.length === 0) {
    out.set(head, mergeValues(existing, doc, here, source))
  } else if (isObject(existing)) {
    out.set(head, mergeUnder(existing, rest, doc, here, source))
  } else {
    throw conflict(here, source)
  }
  return out
}

function mergeObjects(a: RegoObject, b: RegoObject, at: readonly string[], source: string): RegoObject {
  const out = a.clone()
  for (const [k, v] of b.entries()) {
    const old = a.get(k)
    const key = typeof k === 'string' ? k : JSON.stringify(k)
    out.set(k, old === undefined ? v : mergeValues(old, v, [...at, key], source))
  }
  return out
}

function mergeValues(a: Value, b: Value, at: readonly string[], source: string): Value {
  if (isObject(a) && isObject(b)) return mergeObjects(a, b, at, source)
  throw conflict(at, source)
}

function conflict(at: readonly string[], source: string): RegoError {
  return new RegoError('invalid_argument', `${source}: merge error: data.${at.join('.')} is already defined`)
}
