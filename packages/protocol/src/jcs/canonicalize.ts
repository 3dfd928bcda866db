import { ProtocolError } from '../errors.ts'
import { isJsonObject } from './json-value.ts'

/**
 * RFC 8785 JSON Canonicalization Scheme over plain JSON values.
 *
 * - Object members are sorted by the UTF-16 code units of their names (JavaScript's default
 *   string order, which is what §3.2.3 specifies), recursively; arrays keep their order.
 * - Numbers are written as ECMAScript `Number.prototype.toString` does (§3.2.2.3), so `-0` is `0`.
 * - Strings use the minimal JSON escaping of §3.2.2.2 (lowercase `\u00xx` for other controls).
 *
 * Rejected with `ProtocolError('MALFORMED')` rather than silently dropped or coerced, because the
 * output is hashed and a lossy input would produce a digest nobody else can reproduce:
 * non-finite numbers, `bigint` (even small ones: the caller must choose a `number` explicitly),
 * `undefined` (as a value, member or element), functions, symbols, class instances (`Date`,
 * `Map`, …; `toJSON` is not honoured), sparse arrays, cycles, and strings with lone surrogates
 * (I-JSON, RFC 7493, which RFC 8785 requires).
 */
export function canonicalize(value: unknown): string {
  const parts: string[] = []
  write(value, parts, new Set(), '$')
  return parts.join('')
}

function write(value: unknown, out: string[], ancestors: Set<object>, path: string): void {
  if (value === null) {
    out.push('null')
    return
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false')
      return
    case 'number':
      if (!Number.isFinite(value)) throw malformed(path, `non-finite number ${String(value)}`)
      out.push(String(value))
      return
    case 'string':
      out.push(quote(value, path))
      return
    case 'object':
      break
    default:
      throw malformed(path, `${typeof value} is not a JSON value`)
  }
  if (ancestors.has(value)) throw malformed(path, 'cyclic structure')
  ancestors.add(value)
  if (Array.isArray(value)) {
    out.push('[')
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw malformed(`${path}[${String(i)}]`, 'sparse array hole')
      if (i > 0) out.push(',')
      write(value[i], out, ancestors, `${path}[${String(i)}]`)
    }
    out.push(']')
  } else if (isJsonObject(value)) {
    out.push('{')
    const keys = Object.keys(value).sort()
    keys.forEach((key, i) => {
      if (i > 0) out.push(',')
      out.push(quote(key, path), ':')
      write(value[key], out, ancestors, `${path}.${key}`)
    })
    out.push('}')
  } else {
    throw malformed(path, 'not a plain object or array')
  }
  ancestors.delete(value)
}

const LONE_SURROGATE = /\p{Surrogate}/u

function quote(text: string, path: string): string {
  if (LONE_SURROGATE.test(text)) throw malformed(path, 'string with a lone surrogate')
  // For well-formed strings JSON.stringify produces exactly RFC 8785's escaping.
  return JSON.stringify(text)
}

function malformed(path: string, what: string): ProtocolError {
  return new ProtocolError('MALFORMED', `JCS: ${path}: ${what}`)
}
