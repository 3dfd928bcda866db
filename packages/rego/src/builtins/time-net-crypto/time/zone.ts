import { builtinError } from '../../args.ts'

/** A time zone: the UTC offset and abbreviation in effect at an instant, like Go's *time.Location. */
export interface Zone {
  readonly name: string
  /** Offset in seconds east of UTC, and the zone abbreviation Go would print for `MST`. */
  lookup(unixSeconds: number): { offset: number; abbrev: string }
}

export const UTC: Zone = { name: 'UTC', lookup: () => ({ offset: 0, abbrev: 'UTC' }) }

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
    lookup(unixSeconds: number) {
      const ms = unixSeconds * 1000
      const offset = offsetAt(fields, ms)
      return { offset, abbrev: abbreviation(abbrevs, ms, offset) }
    },
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

/** A tzdata-style abbreviation: an alphabetic one when ICU knows it, else "+0530"/"-03" like tzdata. */
function abbreviation(fmts: Intl.DateTimeFormat[], ms: number, offset: number): string {
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

/** A zone with a constant offset (Go's FixedZone). */
export function fixedZone(abbrev: string, offset: number): Zone {
  return { name: abbrev, lookup: () => ({ offset, abbrev }) }
}
