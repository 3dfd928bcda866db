import type { Term } from '../ast/ast.ts'
import { RegoObject, RegoSet, type Value } from '../value/value.ts'

/**
 * The value of a ground literal term (scalars, arrays, objects and sets of them), or undefined
 * when the term needs evaluation (references, calls, comprehensions, variables).
 */
export function groundTermValue(t: Term): Value | undefined {
  switch (t.type) {
    case 'null':
      return null
    case 'boolean':
    case 'number':
    case 'string':
      return t.value
    case 'array': {
      const items: Value[] = []
      for (const item of t.items) {
        const v = groundTermValue(item)
        if (v === undefined) return undefined
        items.push(v)
      }
      return items
    }
    case 'set': {
      const s = new RegoSet()
      for (const item of t.items) {
        const v = groundTermValue(item)
        if (v === undefined) return undefined
        s.add(v)
      }
      return s
    }
    case 'object': {
      const o = new RegoObject()
      for (const e of t.entries) {
        const k = groundTermValue(e.key)
        const v = groundTermValue(e.value)
        if (k === undefined || v === undefined) return undefined
        o.set(k, v)
      }
      return o
    }
    default:
      return undefined
  }
}
