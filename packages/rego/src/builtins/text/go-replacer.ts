/**
 * Go's strings.Replacer semantics: scanning left to right, at each position the first pair (in
 * argument order) whose old string matches there wins; replacements never overlap. An empty old
 * string matches before every character and at the end, but not right after another empty match.
 */
export function goReplace(s: string, pairs: readonly (readonly [string, string])[]): string {
  if (pairs.length === 0) return s
  let out = ''
  let last = 0
  let prevMatchEmpty = false
  let i = 0
  while (i <= s.length) {
    let matched: readonly [string, string] | undefined
    for (const pair of pairs) {
      if (pair[0] === '' ? !prevMatchEmpty : s.startsWith(pair[0], i)) {
        matched = pair
        break
      }
    }
    prevMatchEmpty = matched !== undefined && matched[0] === ''
    if (matched) {
      out += s.slice(last, i) + matched[1]
      i += matched[0].length
      last = i
      continue
    }
    if (i === s.length) break
    i += (s.codePointAt(i) as number) > 0xffff ? 2 : 1
  }
  return out + s.slice(last)
}
