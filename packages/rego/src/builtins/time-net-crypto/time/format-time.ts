import { civilFromNanos, LONG_DAY_NAMES, LONG_MONTH_NAMES, SHORT_DAY_NAMES, SHORT_MONTH_NAMES } from './civil.ts'
import { nextStdChunk, type StdChunk } from './layout.ts'
import type { Zone } from './zone.ts'

/** Go's Time.Format of Unix nanoseconds `ns` seen in `zone`. */
export function formatTime(ns: bigint, zone: Zone, layout: string): string {
  const secs = Number(ns / 1_000_000_000n) - (ns < 0n && ns % 1_000_000_000n !== 0n ? 1 : 0)
  const offset = zone.offset(secs)
  const t = civilFromNanos(ns, offset)
  let out = ''
  let rest = layout
  for (;;) {
    const { prefix, std, suffix } = nextStdChunk(rest)
    out += prefix
    if (std === undefined) break
    rest = suffix
    out += formatElement(std, t, offset, () => zone.abbreviation(secs))
  }
  return out
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, '0')
  return n < 0 ? '-' + s : s
}

function formatElement(
  std: StdChunk,
  t: ReturnType<typeof civilFromNanos>,
  offset: number,
  abbrev: () => string,
): string {
  switch (std.kind) {
    case 'year':
      return pad(((t.year % 100) + 100) % 100, 2)
    case 'longYear':
      return pad(t.year, 4)
    case 'month':
      return SHORT_MONTH_NAMES[t.month - 1] as string
    case 'longMonth':
      return LONG_MONTH_NAMES[t.month - 1] as string
    case 'numMonth':
      return String(t.month)
    case 'zeroMonth':
      return pad(t.month, 2)
    case 'weekDay':
      return SHORT_DAY_NAMES[t.weekday] as string
    case 'longWeekDay':
      return LONG_DAY_NAMES[t.weekday] as string
    case 'day':
      return String(t.day)
    case 'underDay':
      return String(t.day).padStart(2, ' ')
    case 'zeroDay':
      return pad(t.day, 2)
    case 'underYearDay':
      return String(t.yearDay).padStart(3, ' ')
    case 'zeroYearDay':
      return pad(t.yearDay, 3)
    case 'hour':
      return pad(t.hour, 2)
    case 'hour12':
      return String(t.hour % 12 === 0 ? 12 : t.hour % 12)
    case 'zeroHour12':
      return pad(t.hour % 12 === 0 ? 12 : t.hour % 12, 2)
    case 'minute':
      return String(t.minute)
    case 'zeroMinute':
      return pad(t.minute, 2)
    case 'second':
      return String(t.second)
    case 'zeroSecond':
      return pad(t.second, 2)
    case 'PM':
      return t.hour >= 12 ? 'PM' : 'AM'
    case 'pm':
      return t.hour >= 12 ? 'pm' : 'am'
    case 'tz': {
      const name = abbrev()
      if (name !== '') return name
      const zone = Math.trunc(offset / 60)
      return (zone < 0 ? '-' : '+') + pad(Math.floor(Math.abs(zone) / 60), 2) + pad(Math.abs(zone) % 60, 2)
    }
    case 'fracSecond0':
    case 'fracSecond9':
      return formatNano(t.nanosecond, std)
    default:
      return formatOffset(std.kind, offset)
  }
}

function formatOffset(kind: StdChunk['kind'], offset: number): string {
  const iso = kind.startsWith('iso8601')
  if (offset === 0 && iso) return 'Z'
  const colon = kind.includes('Colon')
  const short = kind.endsWith('ShortTZ')
  const seconds = kind.endsWith('SecondsTZ')
  const zone = Math.abs(Math.trunc(offset / 60))
  let out = (offset < 0 ? '-' : '+') + pad(Math.floor(zone / 60), 2)
  if (colon) out += ':'
  if (!short) out += pad(zone % 60, 2)
  if (seconds) {
    if (colon) out += ':'
    out += pad(Math.abs(offset) % 60, 2)
  }
  return out
}

function formatNano(nanosecond: number, std: StdChunk): string {
  const trim = std.kind === 'fracSecond9'
  if (trim && (std.digits === 0 || nanosecond === 0)) return ''
  let digits = pad(nanosecond, 9)
  if (std.digits < 9) digits = digits.slice(0, std.digits)
  if (trim) digits = digits.replace(/0+$/, '')
  return digits === '' ? '' : std.separator + digits
}
