/** "Did you mean ...?" helpers, as gqlparser words them (after graphql-js). */

export function orList(items: readonly string[]): string {
  const list = items.slice(0, 5)
  if (list.length === 2) return `${list[0]} or ${list[1]}`
  let out = ''
  list.forEach((item, i) => {
    if (i !== 0) out += i === list.length - 1 ? ', or ' : ', '
    out += item
  })
  return out
}

export function quotedOrList(items: readonly string[]): string {
  return orList(items.map((i) => `"${i}"`))
}

/** Optimal string alignment distance, case-insensitive match counting as 1. */
function lexicalDistance(a: string, b: string): number {
  if (a === b) return 0
  if (a.toLowerCase() === b.toLowerCase()) return 1
  const d: number[][] = []
  for (let i = 0; i <= a.length; i++) d[i] = [i]
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] as number[]
    const prev = d[i - 1] as number[]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + cost)
      }
    }
  }
  return (d[a.length] as number[])[b.length] as number
}

export function suggestionList(input: string, options: readonly string[]): string[] {
  const threshold = Math.max(1, Math.floor(input.length * 0.4) + 1)
  const scored: [string, number][] = []
  for (const option of options) {
    const distance = lexicalDistance(input, option)
    if (distance <= threshold) scored.push([option, distance])
  }
  return scored.sort((x, y) => x[1] - y[1]).map((s) => s[0])
}

/** ` Did you mean "a" or "b"?` appended to a message, or nothing when nothing is close. */
export function suggestQuoted(prefix: string, typed: string, options: readonly string[]): string {
  const list = suggestionList(typed, options)
  return list.length === 0 ? '' : ` ${prefix} ${quotedOrList(list)}?`
}

export function suggestUnquoted(prefix: string, typed: string, options: readonly string[]): string {
  const list = suggestionList(typed, options)
  return list.length === 0 ? '' : ` ${prefix} ${orList(list)}?`
}
