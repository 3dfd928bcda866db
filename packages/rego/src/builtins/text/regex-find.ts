import type { RE2JS } from 're2js'

/** Units charged per match found: each one restarts the search (a few steps' work). */
export const MATCH_UNITS = 8

/**
 * Go's Regexp.allMatches, one match at a time: successive leftmost matches of `re` in `s`, as
 * positions `[start0, end0, start1, end1, ...]` (UTF-16 offsets, -1 for a group that did not
 * take part). An empty match right after the previous match is skipped, and after an empty
 * match the search moves on by one code point. A generator, so that callers can charge each
 * match as it comes (a string of n characters can hold n + 1 matches).
 */
export function* regexMatches(re: RE2JS, s: string): Generator<number[], void, undefined> {
  const m = re.matcher(s)
  const groups = m.groupCount()
  let pos = 0
  let prevMatchEnd = -1
  while (pos <= s.length) {
    if (!m.find(pos)) return
    const start = m.start(0)
    const end = m.end(0)
    let accept = true
    if (end === pos) {
      // An empty match: never right after a match; then step over one code point.
      if (start === prevMatchEnd) accept = false
      pos += pos >= s.length ? 1 : (s.codePointAt(pos) as number) > 0xffff ? 2 : 1
    } else pos = end
    prevMatchEnd = end
    if (!accept) continue
    const out = [start, end]
    for (let g = 1; g <= groups; g++) out.push(m.start(g), m.end(g))
    yield out
  }
}
