import { codePointLength } from '../../value/string-order.ts'
import type { BuiltinContext } from '../builtin.ts'
import { chargeText, FREE_CHARS, WorkMeter } from '../work.ts'

/**
 * Go's strings.Replacer semantics: scanning left to right, at each position the first pair (in
 * argument order) whose old string matches there wins; replacements never overlap. An empty old
 * string matches before every character and at the end, but not right after another empty match.
 * The meter counts the text built and the candidate pairs tried (many pairs over a long string
 * is a product of the two sizes).
 */
function goReplace(s: string, pairs: readonly (readonly [string, string])[], meter: WorkMeter): string {
  if (pairs.length === 0) return s
  // Only pairs whose old string starts with the character at hand can match there.
  const byFirst = new Map<number, number[]>()
  let emptyIndex = -1
  pairs.forEach(([old], index) => {
    if (old === '') {
      if (emptyIndex < 0) emptyIndex = index
      return
    }
    const c = old.charCodeAt(0)
    const list = byFirst.get(c)
    if (list) list.push(index)
    else byFirst.set(c, [index])
  })
  let out = ''
  let last = 0
  let prevMatchEmpty = false
  let i = 0
  while (i <= s.length) {
    let matched = -1
    const candidates = i < s.length ? byFirst.get(s.charCodeAt(i)) : undefined
    if (candidates) {
      meter.add(candidates.length / 16)
      for (const index of candidates) {
        if (s.startsWith((pairs[index] as readonly [string, string])[0], i)) {
          matched = index
          break
        }
      }
    }
    // An empty old string matches anywhere, except right after another empty match.
    if (emptyIndex >= 0 && !prevMatchEmpty && (matched < 0 || emptyIndex < matched)) matched = emptyIndex
    prevMatchEmpty = matched === emptyIndex && matched >= 0
    if (matched >= 0) {
      const [old, neu] = pairs[matched] as readonly [string, string]
      meter.addText(i - last + neu.length)
      out += s.slice(last, i) + neu
      i += old.length
      last = i
      continue
    }
    if (i === s.length) break
    i += (s.codePointAt(i) as number) > 0xffff ? 2 : 1
  }
  meter.addText(s.length - last)
  return out + s.slice(last)
}

/**
 * strings.ReplaceAll: every non-overlapping `old`, left to right, replaced by `neu`; an empty
 * `old` inserts `neu` at every code point boundary (start and end included). The text built is
 * charged before it is built.
 */
export function replaceAll(s: string, old: string, neu: string, ctx: BuiltinContext): string {
  if (old === '') {
    chargeText(ctx, s.length + (codePointLength(s) + 1) * neu.length)
    return s === '' ? neu : neu + Array.from(s).join(neu) + neu
  }
  const first = old.charCodeAt(0)
  // A match may not start inside a surrogate pair (the scan steps over code points).
  if (first >= 0xdc00 && first <= 0xdfff) return replacePairs(s, [[old, neu]], ctx)
  let at = s.indexOf(old)
  if (at < 0) return s
  const growth = neu.length - old.length
  // Only a longer replacement can make the text grow, and only then is counting worthwhile.
  if (growth > 0 && s.length + Math.floor(s.length / old.length) * growth >= FREE_CHARS) {
    let matches = 0
    for (let k = at; k >= 0; k = s.indexOf(old, k + old.length)) matches++
    chargeText(ctx, s.length + matches * growth)
  } else chargeText(ctx, s.length)
  let out = ''
  let last = 0
  do {
    out += s.slice(last, at) + neu
    last = at + old.length
    at = s.indexOf(old, last)
  } while (at >= 0)
  return out + s.slice(last)
}

/** strings.NewReplacer(pairs...).Replace(s), charged as the text is built. */
export function replacePairs(s: string, pairs: readonly (readonly [string, string])[], ctx: BuiltinContext): string {
  const meter = new WorkMeter(ctx)
  const out = goReplace(s, pairs, meter)
  meter.done()
  return out
}
