import { isDigitAt } from './layout.ts'

/**
 * The value-reading steps of Go's time.Parse (getnum, lookup, parseTimeZone, ...). A value that
 * does not fit throws Bad; the parser turns it into Go's "cannot parse" error.
 */

export class Bad extends Error {}

export function skip(value: string, prefix: string): string | undefined {
  let v = value
  let p = prefix
  while (p.length > 0) {
    if (p[0] === ' ') {
      if (v.length > 0 && v[0] !== ' ') return undefined
      p = p.replace(/^ +/, '')
      v = v.replace(/^ +/, '')
      continue
    }
    if (v.length === 0 || v[0] !== p[0]) return undefined
    p = p.slice(1)
    v = v.slice(1)
  }
  return v
}

export function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Bad()
  return Number(s)
}

export function getnum(s: string, fixed: boolean): { n: number; rest: string } {
  if (!isDigitAt(s, 0)) throw new Bad()
  if (!isDigitAt(s, 1)) {
    if (fixed) throw new Bad()
    return { n: s.charCodeAt(0) - 48, rest: s.slice(1) }
  }
  return { n: (s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), rest: s.slice(2) }
}

/** getnum that reports failure instead of throwing, for elements Go range-checks even on error. */
export function getnumOrZero(s: string, fixed: boolean): { n: number; rest: string; bad: boolean } {
  try {
    return { ...getnum(s, fixed), bad: false }
  } catch (e) {
    if (e instanceof Bad) return { n: 0, rest: s, bad: true }
    throw e
  }
}

export function getnum3(s: string, fixed: boolean): { n: number; rest: string } {
  let n = 0
  let i = 0
  while (i < 3 && isDigitAt(s, i)) {
    n = n * 10 + s.charCodeAt(i) - 48
    i++
  }
  if (i === 0 || (fixed && i !== 3)) throw new Bad()
  return { n, rest: s.slice(i) }
}

export function lookup(table: readonly string[], value: string): { index: number; rest: string } {
  for (let i = 0; i < table.length; i++) {
    const name = table[i] as string
    if (value.length >= name.length && value.slice(0, name.length).toLowerCase() === name.toLowerCase()) {
      return { index: i, rest: value.slice(name.length) }
    }
  }
  throw new Bad()
}

export function parseNanoseconds(value: string, nbytes: number): { ns: number; rangeErr: string } {
  if (value[0] !== '.' && value[0] !== ',') throw new Bad()
  const n = Math.min(nbytes, 10)
  const ns = atoi(value.slice(1, n))
  return { ns: ns * 10 ** (10 - n), rangeErr: ns < 0 ? 'fractional second' : '' }
}

export function parseTimeZone(value: string): number {
  if (value.length < 3) return 0
  if (value.startsWith('ChST') || value.startsWith('MeST')) return 4
  if (value.startsWith('GMT')) return value.length === 3 ? 3 : 3 + parseSignedOffset(value.slice(3))
  if (value[0] === '+' || value[0] === '-') return parseSignedOffset(value)
  let nUpper = 0
  while (nUpper < 6 && nUpper < value.length && value[nUpper] !== undefined && /[A-Z]/.test(value[nUpper] as string)) {
    nUpper++
  }
  switch (nUpper) {
    case 3:
      return 3
    case 4:
      return value[3] === 'T' || value.startsWith('WITA') ? 4 : 0
    case 5:
      return value[4] === 'T' ? 5 : 0
    default:
      return 0
  }
}

export function parseSignedOffset(value: string): number {
  if (value[0] !== '-' && value[0] !== '+') return 0
  const m = /^[0-9]+/.exec(value.slice(1))
  if (!m) return 0
  if (Number(m[0]) > 12) return 0
  return 1 + m[0].length
}
