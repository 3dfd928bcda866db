import { builtinError } from '../../args.ts'
import { goQuote } from './go-quote.ts'

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n], // MICRO SIGN
  ['\u03bcs', 1_000n], // GREEK SMALL LETTER MU
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
])

const LIMIT = 1n << 63n

/** Go's time.ParseDuration: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, in nanoseconds. */
export function parseDuration(orig: string): bigint {
  const invalid = () => builtinError(`time: invalid duration ${goQuote(orig)}`)
  let s = orig
  let neg = false
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-'
    s = s.slice(1)
  }
  if (s === '0') return 0n
  if (s === '') throw invalid()
  let d = 0n
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) throw invalid()
    const whole = /^[0-9]*/.exec(s)?.[0] ?? ''
    let v = 0n
    for (const c of whole) {
      if (v > LIMIT / 10n) throw invalid()
      v = v * 10n + BigInt(c.charCodeAt(0) - 48)
      if (v > LIMIT) throw invalid()
    }
    s = s.slice(whole.length)
    const pre = whole.length > 0
    let post = false
    let f = 0n
    let scale = 1
    if (s[0] === '.') {
      s = s.slice(1)
      const frac = /^[0-9]*/.exec(s)?.[0] ?? ''
      let overflow = false
      for (const c of frac) {
        if (overflow) continue
        if (f > (LIMIT - 1n) / 10n) {
          overflow = true
          continue
        }
        const y = f * 10n + BigInt(c.charCodeAt(0) - 48)
        if (y > LIMIT) {
          overflow = true
          continue
        }
        f = y
        scale *= 10
      }
      post = frac.length > 0
      s = s.slice(frac.length)
    }
    if (!pre && !post) throw invalid()
    let i = 0
    while (i < s.length && s[i] !== '.' && !isDigit(s[i])) i++
    if (i === 0) throw builtinError(`time: missing unit in duration ${goQuote(orig)}`)
    const u = s.slice(0, i)
    s = s.slice(i)
    const unit = UNITS.get(u)
    if (unit === undefined) throw builtinError(`time: unknown unit ${goQuote(u)} in duration ${goQuote(orig)}`)
    if (v > LIMIT / unit) throw invalid()
    v *= unit
    if (f > 0n) {
      // Go converts through float64 here, which is what makes fractions of hours exact enough.
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)))
      if (v > LIMIT) throw invalid()
    }
    d += v
    if (d > LIMIT) throw invalid()
  }
  if (neg) return -d
  if (d > LIMIT - 1n) throw invalid()
  return d
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9'
}
