import { RE2JS } from 're2js'
import { builtinError } from '../args.ts'
import type { BuiltinContext } from '../builtin.ts'
import { chargeText, chargeWork, CHARS_PER_UNIT } from '../work.ts'

const MAX_ENTRIES = 100

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

/**
 * A compiled pattern from the cache; an invalid one is a builtin error with Go's message. A
 * pattern not in the cache is charged before it is compiled: counted repetitions make short
 * patterns compile to huge programs (`a{1000}` is a thousand instructions, and compiling takes
 * a few microseconds each).
 */
export function compileRegex(pattern: string, ctx: BuiltinContext): RE2JS {
  const hit = cache.get(pattern)
  if (hit) return hit
  chargeCompile(ctx, pattern)
  let re: RE2JS
  try {
    re = parseRegex(pattern)
  } catch (e) {
    throw builtinError(e instanceof Error ? e.message : String(e))
  }
  cache.set(pattern, re)
  return re
}

/** Units charged per instruction of a program compiled (compiling one takes several steps' time). */
const COMPILE_UNITS_PER_INSTRUCTION = 16

/** Charge compiling `pattern` (by its estimated program size), before doing it. */
export function chargeCompile(ctx: BuiltinContext, pattern: string): void {
  chargeWork(ctx, estimateProgramSize(pattern) * COMPILE_UNITS_PER_INSTRUCTION)
}

/**
 * About how many instructions `pattern` compiles to: an instruction per atom, with counted
 * repetitions (`{n}`, `{n,m}`) multiplying what they repeat, nested ones included. Rough, but
 * never far below the real size, which is what matters for charging.
 */
export function estimateProgramSize(pattern: string): number {
  // Sizes of the open groups, innermost last; `last` is the size of the latest atom or group.
  const groups = [0]
  let last = 0
  const add = (n: number): void => {
    groups[groups.length - 1] = (groups[groups.length - 1] as number) + n
  }
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '\\') {
      i++
      last = 1
      add(1)
    } else if (c === '[') {
      // A class is one instruction: skip to its end (a leading `]` and escapes are literal).
      let j = i + 1
      if (pattern[j] === '^') j++
      if (pattern[j] === ']') j++
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1
      i = j
      last = 1
      add(1)
    } else if (c === '(') {
      groups.push(0)
    } else if (c === ')') {
      last = groups.length > 1 ? (groups.pop() as number) + 2 : 0
      add(last)
    } else if (c === '{') {
      const m = /^\{(\d+)(?:,(\d*))?\}/.exec(pattern.slice(i, i + 16))
      if (m) {
        const count = Math.max(Number(m[1]), Number(m[2] || 0))
        add(last * Math.max(0, count - 1) + 1)
        last *= Math.max(1, count)
        i += m[0].length - 1
      } else {
        last = 1
        add(1)
      }
    } else {
      last = 1
      add(1)
    }
  }
  while (groups.length > 1) add(groups.pop() as number)
  return groups[0] as number
}

/** The number of instructions in a compiled pattern's program. */
function programSize(re: RE2JS): number {
  const engine = re.re2() as unknown as { readonly prog: { numInst(): number } }
  return engine.prog.numInst()
}

/**
 * Charge searching `s` with a compiled pattern: RE2 is linear in the text, times the number of
 * states the program may have active at once (bounded by its size).
 */
export function chargeSearch(ctx: BuiltinContext, re: RE2JS, s: string): void {
  chargeText(ctx, s.length * Math.max(1, programSize(re) / CHARS_PER_UNIT))
}

/** regexp.QuoteMeta: backslash before every character RE2 treats as special. */
export function quoteRegexMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')
}
