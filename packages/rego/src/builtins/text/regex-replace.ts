import type { RE2JS } from 're2js'
import type { WorkMeter } from '../work.ts'
import { MATCH_UNITS } from './regex-find.ts'

/** Positions of a match and its groups: [start0, end0, start1, end1, ...], -1 when unset. */
type Match = number[]

function findFrom(re: RE2JS, s: string, from: number): Match | undefined {
  const m = re.matcher(s)
  if (!m.find(from)) return undefined
  const out: number[] = []
  for (let g = 0; g <= m.groupCount(); g++) out.push(m.start(g), m.end(g))
  return out
}

/** Go's regexp extract: a `$name`/`${name}` reference at the start of `t`. */
function extractName(t: string): { name: string; num: number; rest: string } | undefined {
  let brace = false
  let s = t
  if (s[0] === '{') {
    brace = true
    s = s.slice(1)
  }
  const m = /^[\p{L}\p{Nd}_]+/u.exec(s)
  if (!m) return undefined
  const name = m[0]
  let i = name.length
  if (brace) {
    if (s[i] !== '}') return undefined
    i++
  }
  let num = 0
  for (const ch of name) {
    if (ch < '0' || ch > '9' || num >= 1e8) {
      num = -1
      break
    }
    num = num * 10 + Number(ch)
  }
  if (name[0] === '0' && name.length > 1) num = -1
  return { name, num, rest: s.slice(i) }
}

/** Regexp.Expand: `$1`, `${1}`, `$name`, `${name}` and `$$`; unknown references expand to "". */
function expand(re: RE2JS, template: string, src: string, match: Match): string {
  const named = re.namedGroups()
  let out = ''
  let t = template
  for (;;) {
    const at = t.indexOf('$')
    if (at < 0) break
    out += t.slice(0, at)
    t = t.slice(at + 1)
    if (t[0] === '$') {
      out += '$'
      t = t.slice(1)
      continue
    }
    const ref = extractName(t)
    if (!ref) {
      out += '$'
      continue
    }
    t = ref.rest
    const group = ref.num >= 0 ? ref.num : named[ref.name]
    if (group !== undefined) {
      const start = match[2 * group]
      const end = match[2 * group + 1]
      if (start !== undefined && end !== undefined && start >= 0) out += src.slice(start, end)
    }
  }
  return out + t
}

/** Regexp.ReplaceAllString: non-overlapping matches, no empty match right after a match. */
export function regexReplaceAll(re: RE2JS, src: string, template: string, meter: WorkMeter): string {
  let out = ''
  let lastMatchEnd = 0
  let searchPos = 0
  while (searchPos <= src.length) {
    const a = findFrom(re, src, searchPos)
    if (!a) break
    const [start, end] = a as [number, number]
    const before = out.length
    out += src.slice(lastMatchEnd, start)
    if (end > lastMatchEnd || start === 0) out += expand(re, template, src, a)
    meter.add(MATCH_UNITS)
    meter.addText(out.length - before)
    lastMatchEnd = end
    const width = searchPos < src.length ? ((src.codePointAt(searchPos) as number) > 0xffff ? 2 : 1) : 0
    if (searchPos + width > end) searchPos += width
    else if (searchPos + 1 > end) searchPos++
    else searchPos = end
  }
  return out + src.slice(lastMatchEnd)
}
