import { RvpsError } from './errors.ts'

/** Upstream's default lifetime of a registered reference value. */
export const MONTHS_BEFORE_EXPIRATION = 12

const EXPIRATION_TEXT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/

/**
 * Adds calendar months in UTC after dropping sub-second precision; a day that the target month
 * lacks becomes its last day (2028-02-29 + 12 months = 2029-02-28), as chrono's
 * `checked_add_months` does.
 */
export function addMonths(time: Date, months: number): Date {
  const year = time.getUTCFullYear()
  const month = time.getUTCMonth() + months
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  const day = Math.min(time.getUTCDate(), lastDay)
  const result = new Date(0)
  result.setUTCFullYear(year, month, day)
  result.setUTCHours(time.getUTCHours(), time.getUTCMinutes(), time.getUTCSeconds(), 0)
  return result
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0')
}

/** `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds), the form upstream stores. */
export function formatExpiration(time: Date): string {
  const ms = time.getTime()
  if (Number.isNaN(ms)) throw new RvpsError('INVALID_EXPIRATION', 'expiration is not a valid time')
  const year = time.getUTCFullYear()
  if (year < 0 || year > 9999) {
    throw new RvpsError('INVALID_EXPIRATION', `expiration year ${year} is outside 0000-9999`)
  }
  return (
    `${pad(year, 4)}-${pad(time.getUTCMonth() + 1, 2)}-${pad(time.getUTCDate(), 2)}` +
    `T${pad(time.getUTCHours(), 2)}:${pad(time.getUTCMinutes(), 2)}:${pad(time.getUTCSeconds(), 2)}Z`
  )
}

/** Reads `YYYY-MM-DDTHH:MM:SSZ`; undefined when the text is not that form or not a real time. */
export function parseExpiration(text: string): Date | undefined {
  const match = EXPIRATION_TEXT.exec(text)
  if (match === null) return undefined
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  const time = new Date(0)
  time.setUTCFullYear(year, month - 1, day)
  time.setUTCHours(hour, minute, second, 0)
  // Out-of-range fields (month 13, Feb 30, hour 24) roll over; reject them instead.
  return formatExpiration(time) === text ? time : undefined
}

/** Upstream's rule: expired once the current time is strictly after the expiration. */
export function isExpired(expiration: Date, now: Date): boolean {
  return now.getTime() > expiration.getTime()
}
