import { builtinError } from '../args.ts'
import type { BuiltinContext } from '../builtin.ts'
import { chargeCompile, compileRegex, LruCache, parseRegex, quoteRegexMeta } from './regex-cache.ts'
import type { RE2JS } from 're2js'
import { goQuote } from './go-quote.ts'

const cache = new LruCache<RE2JS>(100)

/** Offsets of the top-level delimited parts: [start, end+1, ...]; unbalanced is an error. */
function delimiterIndices(s: string, open: string, close: string): number[] {
  let level = 0
  let idx = 0
  const out: number[] = []
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (c === open) {
      if (++level === 1) idx = i
    } else if (c === close) {
      if (--level === 0) out.push(idx, i + 1)
      else if (level < 0) throw builtinError(`unbalanced braces in ${goQuote(s)}`)
    }
  }
  if (level !== 0) throw builtinError(`unbalanced braces in ${goQuote(s)}`)
  return out
}

function checkPart(pattern: string): void {
  try {
    parseRegex(`^${pattern}$`)
  } catch (e) {
    throw builtinError(e instanceof Error ? e.message : String(e))
  }
}

/**
 * A template like `urn:foo:{.*}`: text outside the delimiters is literal, text inside is a
 * regular expression, and the whole must match the input (the gorilla/mux scheme OPA uses).
 */
export function compileRegexTemplate(template: string, open: string, close: string, ctx: BuiltinContext): RE2JS {
  const key = `${open}${close}${template}`
  const hit = cache.get(key)
  if (hit) return hit
  // Each part is compiled on its own to check it, then the whole.
  chargeCompile(ctx, template)
  const idxs = delimiterIndices(template, open, close)
  let pattern = '^'
  let end = 0
  for (let i = 0; i < idxs.length; i += 2) {
    const start = idxs[i] as number
    const raw = template.slice(end, start)
    end = idxs[i + 1] as number
    const part = template.slice(start + 1, end - 1)
    pattern += `${quoteRegexMeta(raw)}(${part})`
    checkPart(part)
  }
  pattern += quoteRegexMeta(template.slice(end)) + '$'
  const re = compileRegex(pattern, ctx)
  cache.set(key, re)
  return re
}
