import { isJsonObject } from '../jcs/json-value.ts'

const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/

/**
 * RFC 6901 lookup with serde_json's `Value::pointer` rules: `""` is the whole value, any other
 * pointer must start with `/`, `~1` is `/` and `~0` is `~`, array indices are decimal without
 * leading zeros. Returns `undefined` when nothing is there.
 */
export function resolveJsonPointer(root: unknown, pointer: string): unknown {
  if (pointer === '') return root
  if (!pointer.startsWith('/')) return undefined
  let current: unknown = root
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    if (Array.isArray(current)) {
      if (!ARRAY_INDEX.test(token)) return undefined
      if (Number(token) >= current.length) return undefined
      current = current[Number(token)] as unknown
    } else if (isJsonObject(current)) {
      if (!Object.hasOwn(current, token)) return undefined
      current = current[token]
    } else {
      return undefined
    }
  }
  return current
}
