/**
 * Go reference-time layouts ("Mon Jan 2 15:04:05 MST 2006"): splitting a layout into its
 * elements, exactly as Go's `nextStdChunk` does.
 */

export type StdKind =
  | 'longMonth'
  | 'month'
  | 'numMonth'
  | 'zeroMonth'
  | 'longWeekDay'
  | 'weekDay'
  | 'day'
  | 'underDay'
  | 'zeroDay'
  | 'underYearDay'
  | 'zeroYearDay'
  | 'hour'
  | 'hour12'
  | 'zeroHour12'
  | 'minute'
  | 'zeroMinute'
  | 'second'
  | 'zeroSecond'
  | 'longYear'
  | 'year'
  | 'PM'
  | 'pm'
  | 'tz'
  | 'iso8601SecondsTZ'
  | 'iso8601TZ'
  | 'iso8601ColonSecondsTZ'
  | 'iso8601ColonTZ'
  | 'iso8601ShortTZ'
  | 'numSecondsTZ'
  | 'numTZ'
  | 'numColonSecondsTZ'
  | 'numColonTZ'
  | 'numShortTZ'
  | 'fracSecond0'
  | 'fracSecond9'

export interface StdChunk {
  kind: StdKind
  /** For fractional seconds: digit count and separator ('.' or ','). */
  digits: number
  separator: string
}

export interface LayoutSplit {
  prefix: string
  std: StdChunk | undefined
  suffix: string
}

/** Go's named layouts that OPA accepts in place of a layout string. */
export const NAMED_LAYOUTS: Readonly<Record<string, string>> = {
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339: '2006-01-02T15:04:05Z07:00',
  RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00',
}

function isLower(s: string, i: number): boolean {
  const c = s.charCodeAt(i)
  return c >= 0x61 && c <= 0x7a
}

export function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i)
  return c >= 0x30 && c <= 0x39
}

function chunk(kind: StdKind, digits = 0, separator = '.'): StdChunk {
  return { kind, digits, separator }
}

const ZERO_X: readonly StdKind[] = ['zeroMonth', 'zeroDay', 'zeroHour12', 'zeroMinute', 'zeroSecond', 'year']

const TZ_PATTERNS: readonly (readonly [string, StdKind])[] = [
  ['-070000', 'numSecondsTZ'],
  ['-07:00:00', 'numColonSecondsTZ'],
  ['-0700', 'numTZ'],
  ['-07:00', 'numColonTZ'],
  ['-07', 'numShortTZ'],
  ['Z070000', 'iso8601SecondsTZ'],
  ['Z07:00:00', 'iso8601ColonSecondsTZ'],
  ['Z0700', 'iso8601TZ'],
  ['Z07:00', 'iso8601ColonTZ'],
  ['Z07', 'iso8601ShortTZ'],
]

/** The text before the first layout element, the element, and the rest. */
export function nextStdChunk(layout: string): LayoutSplit {
  for (let i = 0; i < layout.length; i++) {
    const found = stdAt(layout, i)
    if (found) {
      return { prefix: layout.slice(0, found.start), std: found.std, suffix: layout.slice(found.end) }
    }
  }
  return { prefix: layout, std: undefined, suffix: '' }
}

function stdAt(layout: string, i: number): { start: number; std: StdChunk; end: number } | undefined {
  const at = (s: string) => layout.startsWith(s, i)
  const hit = (kind: StdKind, len: number, start = i) => ({ start, std: chunk(kind), end: i + len })
  switch (layout[i]) {
    case 'J':
      if (at('Jan')) {
        if (at('January')) return hit('longMonth', 7)
        if (!isLower(layout, i + 3)) return hit('month', 3)
      }
      return undefined
    case 'M':
      if (at('Mon')) {
        if (at('Monday')) return hit('longWeekDay', 6)
        if (!isLower(layout, i + 3)) return hit('weekDay', 3)
      }
      if (at('MST')) return hit('tz', 3)
      return undefined
    case '0': {
      const next = layout.charCodeAt(i + 1)
      if (next >= 0x31 && next <= 0x36) return hit(ZERO_X[next - 0x31] as StdKind, 2)
      if (at('002')) return hit('zeroYearDay', 3)
      return undefined
    }
    case '1':
      return at('15') ? hit('hour', 2) : hit('numMonth', 1)
    case '2':
      return at('2006') ? hit('longYear', 4) : hit('day', 1)
    case '_':
      if (layout[i + 1] === '2') {
        // "_2006" is a literal underscore followed by the long year.
        if (layout.startsWith('2006', i + 1)) return { start: i + 1, std: chunk('longYear'), end: i + 5 }
        return hit('underDay', 2)
      }
      if (at('__2')) return hit('underYearDay', 3)
      return undefined
    case '3':
      return hit('hour12', 1)
    case '4':
      return hit('minute', 1)
    case '5':
      return hit('second', 1)
    case 'P':
      return layout[i + 1] === 'M' ? hit('PM', 2) : undefined
    case 'p':
      return layout[i + 1] === 'm' ? hit('pm', 2) : undefined
    case '-':
    case 'Z':
      for (const [pattern, kind] of TZ_PATTERNS) if (at(pattern)) return hit(kind, pattern.length)
      return undefined
    case '.':
    case ',': {
      const ch = layout[i + 1]
      if (ch === '0' || ch === '9') {
        let j = i + 1
        while (j < layout.length && layout[j] === ch) j++
        if (!isDigitAt(layout, j)) {
          return {
            start: i,
            std: chunk(ch === '0' ? 'fracSecond0' : 'fracSecond9', j - (i + 1), layout[i]),
            end: j,
          }
        }
      }
      return undefined
    }
    default:
      return undefined
  }
}
