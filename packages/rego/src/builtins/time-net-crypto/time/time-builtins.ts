import { builtin, BuiltinError, type BuiltinDef } from '../../builtin.ts'
import { builtinError, integerArg, operandTypeError, stringArg } from '../../args.ts'
import { chargeText } from '../../work.ts'
import { normalizeBig, toBigInt } from '../../../value/number.ts'
import type { Value } from '../../../value/value.ts'
import { civilFromNanos, LONG_DAY_NAMES, MAX_INT64, MIN_INT64, nanosFromCivil, type CivilTime } from './civil.ts'
import { formatTime } from './format-time.ts'
import { NAMED_LAYOUTS } from './layout.ts'
import { parseDuration } from './parse-duration.ts'
import { parseTime } from './parse-time.ts'
import { loadZone, UTC, type Zone } from './zone.ts'

/** An instant with the zone it is seen in, as OPA's `tzTime` builds it. */
interface ZonedTime {
  ns: bigint
  zone: Zone
  layout: string
}

const TIME_OPERAND = 'either number (ns) or [number (ns), string (tz)]'

function nanosOperand(v: Value): bigint {
  if (typeof v !== 'number' && typeof v !== 'bigint') throw operandTypeError(1, 'number', v)
  const ns = toBigInt(v)
  if (ns === undefined || ns < MIN_INT64 || ns > MAX_INT64) throw builtinError('timestamp too big')
  return ns
}

/** OPA's tzTime: a number of nanoseconds, or `[ns, tz]`, or `[ns, tz, layout]`. */
function zonedTime(v: Value): ZonedTime {
  if (typeof v === 'number' || typeof v === 'bigint') return { ns: nanosOperand(v), zone: UTC, layout: '' }
  if (!Array.isArray(v) || v.length === 0) throw operandTypeError(1, TIME_OPERAND, v)
  const first = v[0] as Value
  if (typeof first !== 'number' && typeof first !== 'bigint') throw operandTypeError(1, 'number', first)
  let zone = UTC
  let layout = ''
  if (v.length > 1) {
    const tz = v[1] as Value
    if (typeof tz !== 'string') throw operandTypeError(1, 'string', tz)
    zone = loadZone(tz)
  }
  if (v.length > 2) {
    const lay = v[2] as Value
    if (typeof lay !== 'string') throw operandTypeError(1, 'string', lay)
    layout = lay
  }
  return { ns: nanosOperand(first), zone, layout }
}

function unixSeconds(ns: bigint): number {
  const s = ns / 1_000_000_000n
  return Number(ns < 0n && s * 1_000_000_000n !== ns ? s - 1n : s)
}

function civil(t: { ns: bigint; zone: Zone }): CivilTime {
  return civilFromNanos(t.ns, t.zone.offset(unixSeconds(t.ns)))
}

/** Result of a parse or date arithmetic, with OPA's int64 range check. */
function safeNanos(ns: bigint): Value {
  if (ns < MIN_INT64 || ns > MAX_INT64) throw builtinError('time outside of valid range')
  return normalizeBig(ns)
}

/** Go's time.Date in a zone: the wall clock is normalised, then the zone offset removed. */
function dateInZone(
  zone: Zone,
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  nsec: number,
): bigint {
  const wall = nanosFromCivil(y, mo, d, h, mi, s, nsec)
  const wallSecs = unixSeconds(wall)
  let offset = zone.offset(wallSecs)
  if (offset !== 0) {
    const corrected = zone.offset(wallSecs - offset)
    if (corrected !== offset) offset = corrected
  }
  return wall - BigInt(offset) * 1_000_000_000n
}

function layoutFor(name: string): string {
  return NAMED_LAYOUTS[name] ?? name
}

function diff(a: Value, b: Value): Value {
  const t1 = zonedTime(a)
  const t2 = zonedTime(b)
  // Both are read in the first operand's zone; the earlier one comes first.
  let [x, y] = [t1.ns, t2.ns]
  if (x > y) [x, y] = [y, x]
  const c1 = civil({ ns: x, zone: t1.zone })
  const c2 = civil({ ns: y, zone: t1.zone })
  let year = c2.year - c1.year
  let month = c2.month - c1.month
  let day = c2.day - c1.day
  let hour = c2.hour - c1.hour
  let min = c2.minute - c1.minute
  let sec = c2.second - c1.second
  if (sec < 0) {
    sec += 60
    min--
  }
  if (min < 0) {
    min += 60
    hour--
  }
  if (hour < 0) {
    hour += 24
    day--
  }
  if (day < 0) {
    // Days in c1's month: day 32 rolls over into the next month by 32 - days.
    const rolled = civilFromNanos(nanosFromCivil(c1.year, c1.month, 32, 0, 0, 0, 0), 0)
    day += 32 - rolled.day
    month--
  }
  if (month < 0) {
    month += 12
    year--
  }
  return [year, month, day, hour, min, sec]
}

export const timeBuiltins: readonly BuiltinDef[] = [
  builtin('time.now_ns', 0, (_args, ctx) => normalizeBig(ctx.nowNs), { nondeterministic: true }),
  builtin('time.parse_ns', 2, (args, ctx) => {
    const layout = stringArg(args, 0)
    const value = stringArg(args, 1)
    chargeText(ctx, layout.length + value.length)
    return safeNanos(parseTime(layoutFor(layout), value))
  }),
  builtin('time.parse_rfc3339_ns', 1, (args) => {
    const value = stringArg(args, 0)
    return safeNanos(parseTime(NAMED_LAYOUTS['RFC3339'] as string, value))
  }),
  builtin('time.parse_duration_ns', 1, (args) => normalizeBig(parseDuration(stringArg(args, 0)))),
  builtin('time.format', 1, (args, ctx) => {
    const t = zonedTime(args[0] ?? null)
    const layout = t.layout === '' ? (NAMED_LAYOUTS['RFC3339Nano'] as string) : layoutFor(t.layout)
    // Each element of the layout becomes a few characters of text.
    chargeText(ctx, 4 * layout.length)
    return formatTime(t.ns, t.zone, layout)
  }),
  builtin('time.date', 1, (args) => {
    const c = civil(zonedTime(args[0] ?? null))
    return [c.year, c.month, c.day]
  }),
  builtin('time.clock', 1, (args) => {
    const c = civil(zonedTime(args[0] ?? null))
    return [c.hour, c.minute, c.second]
  }),
  builtin('time.weekday', 1, (args) => LONG_DAY_NAMES[civil(zonedTime(args[0] ?? null)).weekday] ?? ''),
  builtin('time.add_date', 4, (args) => {
    const t = zonedTime(args[0] ?? null)
    const years = addendArg(args, 1)
    const months = addendArg(args, 2)
    const days = addendArg(args, 3)
    const c = civil(t)
    const ns = dateInZone(
      t.zone,
      c.year + years,
      c.month + months,
      c.day + days,
      c.hour,
      c.minute,
      c.second,
      c.nanosecond,
    )
    return safeNanos(ns)
  }),
  builtin('time.diff', 2, (args) => diff(args[0] ?? null, args[1] ?? null)),
  builtin(
    'test.sleep',
    1,
    (args, ctx) => {
      sleepNanos(parseDuration(stringArg(args, 0)), ctx.charge)
      return null
    },
    { nondeterministic: true },
  ),
]

const sleepCell = new Int32Array(new SharedArrayBuffer(4))

/** Longest single wait; between slices the evaluation's clock is checked. */
const SLEEP_SLICE_MS = 10

/**
 * OPA's test.sleep blocks the evaluation; so does this (Atomics.wait never wakes early here).
 * It sleeps in short slices and charges the evaluation between them, so a policy cannot block
 * a server past the evaluation's time bound.
 */
function sleepNanos(ns: bigint, charge: ((units: number) => void) | undefined): void {
  let remaining = Number(ns / 1_000_000n)
  while (remaining > 0) {
    charge?.(0)
    const slice = Math.min(remaining, SLEEP_SLICE_MS)
    Atomics.wait(sleepCell, 0, 0, slice)
    remaining -= slice
  }
  charge?.(0)
}

/** Go's IntOperand: a machine int; anything else reads as a fraction to OPA. */
function addendArg(args: readonly Value[], i: number): number {
  const n = integerArg(args, i)
  if (n < -(1n << 53n) || n > 1n << 53n) {
    throw new BuiltinError('eval_type_error', `operand ${i + 1} must be integer number but got floating-point number`)
  }
  return Number(n)
}
