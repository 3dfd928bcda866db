import { RE2JS } from 're2js'
import { builtinError } from '../args.ts'

const MAX_ENTRIES = 100

/**
 * The operations used from re2js's Go-style engine (RE2JS.re2()), typed here because the
 * package declares them loosely. Indices are UTF-16 offsets into the searched string.
 */
export interface GoRegexp {
  findAll(s: string, n: number): string[] | null
  findAllIndex(s: string, n: number): number[][] | null
  findAllSubmatch(s: string, n: number): (string | null)[][] | null
}

interface CacheEntry<V> {
  readonly value: V
  used: boolean
}

/**
 * A bounded cache that keeps recently used entries (the CLOCK approximation of LRU): a hit only
 * marks its entry, so hits stay a plain map lookup; when the cache is full, the oldest entries
 * that were used since they were last passed over get another round, and the first unused one
 * goes.
 */
export class LruCache<V> {
  private readonly map = new Map<string, CacheEntry<V>>()
  private readonly max: number
  constructor(max: number) {
    this.max = max
  }

  get(key: string): V | undefined {
    const e = this.map.get(key)
    if (e === undefined) return undefined
    e.used = true
    return e.value
  }

  set(key: string, value: V): void {
    this.map.delete(key)
    while (this.map.size > 0 && this.map.size >= this.max) {
      const [oldestKey, oldest] = this.map.entries().next().value as [string, CacheEntry<V>]
      this.map.delete(oldestKey)
      if (oldest.used) {
        oldest.used = false
        this.map.set(oldestKey, oldest)
      }
    }
    this.map.set(key, { value, used: false })
  }
}

const cache = new LruCache<RE2JS>(MAX_ENTRIES)

/** Parse a pattern with Go's RE2 syntax; throws re2js's error (Go's own wording). */
export function parseRegex(pattern: string): RE2JS {
  return RE2JS.compile(pattern)
}

/** A compiled pattern from the cache; an invalid one is a builtin error with Go's message. */
export function compileRegex(pattern: string): RE2JS {
  const hit = cache.get(pattern)
  if (hit) return hit
  let re: RE2JS
  try {
    re = parseRegex(pattern)
  } catch (e) {
    throw builtinError(e instanceof Error ? e.message : String(e))
  }
  cache.set(pattern, re)
  return re
}

export function goRegexp(re: RE2JS): GoRegexp {
  const engine: unknown = re.re2()
  return engine as GoRegexp
}

/** regexp.QuoteMeta: backslash before every character RE2 treats as special. */
export function quoteRegexMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')
}
