import { mutateBytes } from './mutate-bytes.ts'
import type { Pick } from './seeded-random.ts'

type Path = readonly (string | number)[]

const HEX = /^(?:[0-9a-fA-F]{2})+$/
const BASE64 = /^[A-Za-z0-9+/_-]{8,}={0,2}$/

/** Every path to a value inside `value` (objects and arrays included, the root excluded). */
function paths(value: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((v: unknown, i) => [[...prefix, i], ...paths(v, [...prefix, i])])
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])])
  }
  return []
}

/** A string field mutated as what it encodes: hex and base64 fields keep their encoding. */
function mutateString(text: string, pick: Pick): string {
  if (text.length >= 2 && HEX.test(text) && pick(4) !== 0) {
    return Buffer.from(mutateBytes(Buffer.from(text, 'hex'), pick)).toString('hex')
  }
  if (BASE64.test(text) && pick(4) !== 0) {
    const url = /[-_]/.test(text)
    const out = Buffer.from(mutateBytes(Buffer.from(text, url ? 'base64url' : 'base64'), pick))
    return out.toString(url ? 'base64url' : 'base64')
  }
  return Buffer.from(mutateBytes(Buffer.from(text, 'utf8'), pick)).toString('latin1')
}

function replacement(old: unknown, pick: Pick): unknown {
  switch (pick(8)) {
    case 0:
      return null
    case 1:
      return [0, -1, 1.5, 2 ** 53, 256][pick(5)]
    case 2:
      return ['', '00', 'AA==', 'x'][pick(4)]
    case 3:
      return pick(2) === 0 ? [] : {}
    case 4:
      return typeof old === 'number' ? old + ([1, -1, 256][pick(3)] ?? 1) : true
    default:
      return typeof old === 'string' ? mutateString(old, pick) : pick(2) === 0 ? [old] : String(old)
  }
}

/**
 * One mutation of a JSON value (parsed evidence): a field at a random depth deleted, replaced by a
 * value of another type, or, for strings, its hex/base64/text content mutated as bytes; a key added.
 */
export function mutateJson(value: unknown, pick: Pick): unknown {
  const copy: unknown = structuredClone(value)
  const all = paths(copy)
  const path = all[pick(all.length)]
  if (path === undefined) return replacement(copy, pick)
  let parent: unknown = copy
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[key]
  const container = parent as Record<string | number, unknown>
  const key = path[path.length - 1] ?? 0
  const action = pick(10)
  if (action === 0 && Array.isArray(container)) container.splice(Number(key), 1)
  else if (action === 0) Reflect.deleteProperty(container, key)
  else if (action === 1 && !Array.isArray(container)) container[`x${String(pick(100))}`] = container[key]
  else container[key] = replacement(container[key], pick)
  return copy
}
