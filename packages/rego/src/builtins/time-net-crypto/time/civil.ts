/**
 * Proleptic Gregorian calendar arithmetic on Unix nanoseconds, as Go's `time` package does it.
 * Instants are bigint nanoseconds; calendar fields are plain integers.
 */

export const NS_PER_SECOND = 1_000_000_000n
export const MIN_INT64 = -(1n << 63n)
export const MAX_INT64 = (1n << 63n) - 1n

export const LONG_MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const
export const SHORT_MONTH_NAMES = LONG_MONTH_NAMES.map((m) => m.slice(0, 3))
export const LONG_DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const
export const SHORT_DAY_NAMES = LONG_DAY_NAMES.map((d) => d.slice(0, 3))

/** Calendar fields of an instant seen at some UTC offset. */
export interface CivilTime {
  year: number
  /** 1..12 */
  month: number
  /** 1..31 */
  day: number
  hour: number
  minute: number
  second: number
  nanosecond: number
  /** 0 = Sunday */
  weekday: number
  /** 1..366 */
  yearDay: number
}

export function isLeapYear(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
}

export function daysInMonth(month: number, year: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 31
}

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b)
}

/** Days since 1970-01-01 of a (possibly denormalised-day) date; month must be 1..12. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = floorDiv(y, 400)
  const yoe = y - era * 400
  const mp = (month + 9) % 12
  const doy = floorDiv(153 * mp + 2, 5) + day - 1
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy
  return era * 146097 + doe - 719468
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468
  const era = floorDiv(z, 146097)
  const doe = z - era * 146097
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36524) - floorDiv(doe, 146096), 365)
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100))
  const mp = floorDiv(5 * doy + 2, 153)
  const day = doy - floorDiv(153 * mp + 2, 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

function floorDivBig(a: bigint, b: bigint): bigint {
  const q = a / b
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q
}

/** Calendar fields of `ns` (Unix nanoseconds) at a UTC offset given in seconds. */
export function civilFromNanos(ns: bigint, offsetSeconds: number): CivilTime {
  const secs = floorDivBig(ns, NS_PER_SECOND)
  const nanosecond = Number(ns - secs * NS_PER_SECOND)
  const local = secs + BigInt(offsetSeconds)
  const days = Number(floorDivBig(local, 86400n))
  const secOfDay = Number(local - BigInt(days) * 86400n)
  const { year, month, day } = civilFromDays(days)
  return {
    year,
    month,
    day,
    hour: Math.floor(secOfDay / 3600),
    minute: Math.floor(secOfDay / 60) % 60,
    second: secOfDay % 60,
    nanosecond,
    weekday: (((days + 4) % 7) + 7) % 7,
    yearDay: days - daysFromCivil(year, 1, 1) + 1,
  }
}

/**
 * Unix nanoseconds of wall-clock fields read as UTC, normalising out-of-range fields the way
 * Go's `time.Date` does (month 13 is January of the next year, day 0 the last of the previous month).
 */
export function nanosFromCivil(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  nanosecond: number,
): bigint {
  const m0 = month - 1
  const y = year + floorDiv(m0, 12)
  const m = m0 - floorDiv(m0, 12) * 12 + 1
  const days = BigInt(daysFromCivil(y, m, 1)) + BigInt(day - 1)
  const secs = days * 86400n + BigInt(hour) * 3600n + BigInt(minute) * 60n + BigInt(second)
  return secs * NS_PER_SECOND + BigInt(nanosecond)
}
