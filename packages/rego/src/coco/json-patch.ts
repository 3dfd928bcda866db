import { RegoError } from '../errors.ts'
import { toRegoText } from '../value/rego-text.ts'
import { RegoObject, type Value } from '../value/value.ts'

/**
 * Applies the Kata agent policy's state operations (`{"op": "add"|"remove"|"replace", "path":
 * "/pstate/<key>", "value": …}`, JSON Patch, RFC 6902) to the `data` document, as the agent does
 * after an allowed request. Only object members are addressed (that is all rules.rego emits).
 * Returns a new document; the input is left untouched.
 */
export function applyStateOps(data: Value, ops: Value): Value {
  if (!Array.isArray(ops)) throw new RegoError('invalid_argument', 'ops must be an array')
  let doc = data
  for (const op of ops) {
    if (!(op instanceof RegoObject)) throw new RegoError('invalid_argument', 'an op must be an object')
    const kind = op.get('op')
    const path = op.get('path')
    if (typeof path !== 'string' || !path.startsWith('/'))
      throw new RegoError('invalid_argument', `bad op path: ${path === undefined ? 'none' : toRegoText(path)}`)
    const tokens = path
      .slice(1)
      .split('/')
      .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
    if (kind === 'add' || kind === 'replace') {
      const value = op.get('value')
      if (value === undefined) throw new RegoError('invalid_argument', `${kind} without a value`)
      doc = update(doc, tokens, value)
    } else if (kind === 'remove') {
      doc = update(doc, tokens, undefined)
    } else {
      throw new RegoError('invalid_argument', `unsupported op: ${kind === undefined ? 'none' : toRegoText(kind)}`)
    }
  }
  return doc
}

function update(doc: Value, tokens: readonly string[], value: Value | undefined): Value {
  const [head, ...rest] = tokens
  if (head === undefined) {
    if (value === undefined) throw new RegoError('invalid_argument', 'cannot remove the whole document')
    return value
  }
  if (!(doc instanceof RegoObject)) throw new RegoError('invalid_argument', `path member ${head} is not in an object`)
  const next = doc.clone()
  if (rest.length === 0) {
    if (value === undefined) {
      if (!next.delete(head)) throw new RegoError('invalid_argument', `remove: no member ${head}`)
    } else {
      next.set(head, value)
    }
    return next
  }
  const child = doc.get(head)
  if (child === undefined) throw new RegoError('invalid_argument', `no member ${head}`)
  next.set(head, update(child, rest, value))
  return next
}
