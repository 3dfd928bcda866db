import { builtinError } from '../../args.ts'

/** A time zone: the UTC offset and abbreviation in effect at an instant, like Go's *time.Location. */
export interface Zone {
  readonly name: string
  /** Offset in seconds east of UTC at the instant. */
  offset(unixSeconds: number): number
  /** The zone abbreviation Go prints for `MST` at the instant. */
  abbreviation(unixSeconds: number): string
}

export const UTC: Zone = { name: 'UTC', offset: () => 0, abbreviation: () => 'UTC' }

/** Cached IANA zones; the Intl formatter is expensive to build. */
const zones = new Map<string, Zone>()

/**
 * Go's `time.LoadLocation` for the names OPA accepts: "" and "UTC" are UTC, "Local" is the
 * process zone, anything else an IANA name resolved through the ICU data that Node ships.
 */
export function loadZone(name: string): Zone {
  if (name === '' || name === 'UTC') return UTC
  const cached = zones.get(name)
  if (cached) return cached
  const ianaName = name === 'Local' ? new Intl.DateTimeFormat().resolvedOptions().timeZone : name
  const zone = intlZone(name, ianaName)
  zones.set(name, zone)
  return zone
}

function intlZone(name: string, ianaName: string): Zone {
  let fields: Intl.DateTimeFormat
  try {
    fields = new Intl.DateTimeFormat('en-US', {
      timeZone: ianaName,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    })
  } catch {
    throw builtinError(`unknown time zone ${name}`)
  }
  const resolved = fields.resolvedOptions().timeZone
  // ICU matches names case-insensitively; Go's zoneinfo lookup does not.
  if (resolved !== ianaName && resolved.toLowerCase() === ianaName.toLowerCase()) {
    throw builtinError(`unknown time zone ${name}`)
  }
  const abbrevs = ['en-US', 'en-GB', 'en-IN', 'en-AU', 'en-CA', 'en-NZ', 'en-ZA', 'en-IE'].map(
    (locale) => new Intl.DateTimeFormat(locale, { timeZone: ianaName, timeZoneName: 'short' }),
  )
  return {
    name,
    offset: (unixSeconds) => offsetAt(fields, unixSeconds * 1000),
    abbreviation: (unixSeconds) =>
      abbreviation(ianaName, abbrevs, unixSeconds * 1000, offsetAt(fields, unixSeconds * 1000)),
  }
}

function offsetAt(fmt: Intl.DateTimeFormat, ms: number): number {
  const parts: Record<string, string> = {}
  for (const p of fmt.formatToParts(new Date(ms))) parts[p.type] = p.value
  let year = Number(parts['year'])
  if (parts['era'] === 'BC' || parts['era'] === 'B') year = 1 - year
  const wall = Date.UTC(
    year,
    Number(parts['month']) - 1,
    Number(parts['day']),
    Number(parts['hour']),
    Number(parts['minute']),
    Number(parts['second']),
  )
  // Date.UTC maps years 0..99 to 1900..1999.
  const fixed = year >= 0 && year < 100 ? new Date(wall).setUTCFullYear(year) : wall
  return Math.round((fixed - Math.floor(ms / 1000) * 1000) / 1000)
}

/** tzdata abbreviations that no English ICU locale spells out, by zone and offset. */
const TZDATA_ABBREVIATIONS: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  'Asia/Shanghai': { 28800: 'CST' },
  'Asia/Taipei': { 28800: 'CST' },
  'Asia/Macau': { 28800: 'CST' },
  'Asia/Hong_Kong': { 28800: 'HKT' },
  'Asia/Tokyo': { 32400: 'JST' },
  'Asia/Seoul': { 32400: 'KST' },
  'Asia/Pyongyang': { 32400: 'KST' },
  'Asia/Manila': { 28800: 'PST' },
  'Asia/Karachi': { 18000: 'PKT' },
  'Asia/Jakarta': { 25200: 'WIB' },
  'Asia/Makassar': { 28800: 'WITA' },
  'Asia/Jayapura': { 32400: 'WIT' },
  'Asia/Jerusalem': { 7200: 'IST', 10800: 'IDT' },
  'Europe/Moscow': { 10800: 'MSK' },
  'Africa/Johannesburg': { 7200: 'SAST' },
  'Africa/Lagos': { 3600: 'WAT' },
}

/** A tzdata-style abbreviation: an alphabetic one when known, else "+0530"/"-03" like tzdata. */
function abbreviation(zone: string, fmts: Intl.DateTimeFormat[], ms: number, offset: number): string {
  const known = TZDATA_ABBREVIATIONS[zone]?.[offset]
  if (known !== undefined) return known
  for (const fmt of fmts) {
    const name = fmt.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value
    if (name !== undefined && /^[A-Z]{3,5}$/.test(name) && name !== 'GMT') return name
    if (name === 'GMT' || name === 'UTC') {
      if (offset === 0) return name === 'UTC' ? 'UTC' : 'GMT'
    }
  }
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  const hh = String(Math.floor(abs / 3600)).padStart(2, '0')
  const mm = Math.floor(abs / 60) % 60
  return mm === 0 ? `${sign}${hh}` : `${sign}${hh}${String(mm).padStart(2, '0')}`
}
