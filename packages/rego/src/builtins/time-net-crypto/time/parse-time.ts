import { builtinError } from '../../args.ts'
import {
  daysInMonth,
  isLeapYear,
  LONG_DAY_NAMES,
  LONG_MONTH_NAMES,
  nanosFromCivil,
  SHORT_DAY_NAMES,
  SHORT_MONTH_NAMES,
} from './civil.ts'
import { isDigitAt, nextStdChunk, type StdKind } from './layout.ts'
import {
  atoi,
  Bad,
  getnum,
  getnum3,
  getnumOrZero,
  lookup,
  parseNanoseconds,
  parseTimeZone,
  skip,
} from './value-scan.ts'
import { goQuote } from './go-quote.ts'

/** Go's time.Parse with UTC as both default and local zone; returns Unix nanoseconds. */
export function parseTime(layout: string, value: string): bigint {
  const p = new TimeParser(layout, value)
  return p.run()
}

const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365]

class TimeParser {
  private readonly fullLayout: string
  private readonly fullValue: string
  private year = 0
  private month = -1
  private day = -1
  private yday = -1
  private hour = 0
  private min = 0
  private sec = 0
  private nsec = 0
  private utc = false
  private zoneOffset: number | undefined
  private zoneName = ''
  private amSet = false
  private pmSet = false

  constructor(layout: string, value: string) {
    this.fullLayout = layout
    this.fullValue = value
  }

  private error(layoutElem: string, valueElem: string, message: string): never {
    if (message === '') {
      throw builtinError(
        `parsing time ${goQuote(this.fullValue)} as ${goQuote(this.fullLayout)}: cannot parse ${goQuote(valueElem)} as ${goQuote(layoutElem)}`,
      )
    }
    throw builtinError(`parsing time ${goQuote(this.fullValue)}${message}`)
  }

  run(): bigint {
    let layout = this.fullLayout
    let value = this.fullValue
    for (;;) {
      const { prefix, std, suffix } = nextStdChunk(layout)
      const stdstr = layout.slice(prefix.length, layout.length - suffix.length)
      const skipped = skip(value, prefix)
      if (skipped === undefined) this.error(prefix, value, '')
      value = skipped
      if (std === undefined) {
        if (value.length !== 0) this.error('', value, `: extra text: ${goQuote(value)}`)
        break
      }
      layout = suffix
      const hold = value
      let rangeErr = ''
      try {
        const r = this.element(std.kind, std.digits, value, layout)
        value = r.rest
        rangeErr = r.rangeErr
      } catch (e) {
        if (!(e instanceof Bad)) throw e
        this.error(stdstr, hold, '')
      }
      if (rangeErr !== '') this.error(stdstr, value, `: ${rangeErr} out of range`)
    }
    return this.finish(value)
  }

  /** Consumes one element; throws Bad for a value that does not fit the element. */
  private element(
    kind: StdKind,
    digits: number,
    value: string,
    layoutRest: string,
  ): { rest: string; rangeErr: string } {
    let rangeErr = ''
    switch (kind) {
      case 'year': {
        if (value.length < 2) throw new Bad()
        const y = atoi(value.slice(0, 2))
        this.year = y >= 69 ? y + 1900 : y + 2000
        return { rest: value.slice(2), rangeErr }
      }
      case 'longYear':
        if (value.length < 4 || !isDigitAt(value, 0)) throw new Bad()
        this.year = atoi(value.slice(0, 4))
        return { rest: value.slice(4), rangeErr }
      case 'month':
      case 'longMonth': {
        const r = lookup(kind === 'month' ? SHORT_MONTH_NAMES : LONG_MONTH_NAMES, value)
        this.month = r.index + 1
        return { rest: r.rest, rangeErr }
      }
      case 'numMonth':
      case 'zeroMonth': {
        const r = getnum(value, kind === 'zeroMonth')
        this.month = r.n
        if (r.n <= 0 || r.n > 12) rangeErr = 'month'
        return { rest: r.rest, rangeErr }
      }
      case 'weekDay':
      case 'longWeekDay':
        return { rest: lookup(kind === 'weekDay' ? SHORT_DAY_NAMES : LONG_DAY_NAMES, value).rest, rangeErr }
      case 'day':
      case 'underDay':
      case 'zeroDay': {
        const v = kind === 'underDay' && value[0] === ' ' ? value.slice(1) : value
        const r = getnum(v, kind === 'zeroDay')
        this.day = r.n
        return { rest: r.rest, rangeErr }
      }
      case 'underYearDay':
      case 'zeroYearDay': {
        let v = value
        for (let i = 0; i < 2; i++) if (kind === 'underYearDay' && v[0] === ' ') v = v.slice(1)
        const r = getnum3(v, kind === 'zeroYearDay')
        this.yday = r.n
        return { rest: r.rest, rangeErr }
      }
      case 'hour': {
        const r = getnumOrZero(value, false)
        this.hour = r.n
        if (r.n < 0 || r.n >= 24) rangeErr = 'hour'
        if (r.bad && rangeErr === '') throw new Bad()
        return { rest: r.rest, rangeErr }
      }
      case 'hour12':
      case 'zeroHour12': {
        const r = getnumOrZero(value, kind === 'zeroHour12')
        this.hour = r.n
        if (r.n < 0 || r.n > 12) rangeErr = 'hour'
        if (r.bad && rangeErr === '') throw new Bad()
        return { rest: r.rest, rangeErr }
      }
      case 'minute':
      case 'zeroMinute': {
        const r = getnumOrZero(value, kind === 'zeroMinute')
        this.min = r.n
        if (r.n < 0 || r.n >= 60) rangeErr = 'minute'
        if (r.bad && rangeErr === '') throw new Bad()
        return { rest: r.rest, rangeErr }
      }
      case 'second':
      case 'zeroSecond': {
        const r = getnum(value, kind === 'zeroSecond')
        this.sec = r.n
        if (r.n < 0 || r.n >= 60) return { rest: r.rest, rangeErr: 'second' }
        let rest = r.rest
        // A fractional second in the value but not in the layout is still accepted.
        if (rest.length >= 2 && (rest[0] === '.' || rest[0] === ',') && isDigitAt(rest, 1)) {
          const next = nextStdChunk(layoutRest).std?.kind
          if (next === 'fracSecond0' || next === 'fracSecond9') return { rest, rangeErr }
          let n = 2
          while (n < rest.length && isDigitAt(rest, n)) n++
          const f = parseNanoseconds(rest, n)
          this.nsec = f.ns
          rangeErr = f.rangeErr
          rest = rest.slice(n)
        }
        return { rest, rangeErr }
      }
      case 'PM':
      case 'pm': {
        if (value.length < 2) throw new Bad()
        const p = value.slice(0, 2)
        const [pm, am] = kind === 'PM' ? ['PM', 'AM'] : ['pm', 'am']
        if (p === pm) this.pmSet = true
        else if (p === am) this.amSet = true
        else throw new Bad()
        return { rest: value.slice(2), rangeErr }
      }
      case 'iso8601TZ':
      case 'iso8601ShortTZ':
      case 'iso8601ColonTZ':
      case 'iso8601SecondsTZ':
      case 'iso8601ColonSecondsTZ':
        if (value[0] === 'Z') {
          this.utc = true
          return { rest: value.slice(1), rangeErr }
        }
        return this.numericZone(kind, value)
      case 'numTZ':
      case 'numShortTZ':
      case 'numColonTZ':
      case 'numSecondsTZ':
      case 'numColonSecondsTZ':
        return this.numericZone(kind, value)
      case 'tz': {
        if (value.startsWith('UTC')) {
          this.utc = true
          return { rest: value.slice(3), rangeErr }
        }
        const n = parseTimeZone(value)
        if (n === 0) throw new Bad()
        this.zoneName = value.slice(0, n)
        return { rest: value.slice(n), rangeErr }
      }
      case 'fracSecond0': {
        const ndigit = 1 + digits
        if (value.length < ndigit) throw new Bad()
        const f = parseNanoseconds(value, ndigit)
        this.nsec = f.ns
        return { rest: value.slice(ndigit), rangeErr: f.rangeErr }
      }
      case 'fracSecond9': {
        if (value.length < 2 || (value[0] !== '.' && value[0] !== ',') || !isDigitAt(value, 1)) {
          return { rest: value, rangeErr }
        }
        let i = 0
        while (i + 1 < value.length && isDigitAt(value, i + 1)) i++
        const f = parseNanoseconds(value, 1 + i)
        this.nsec = f.ns
        return { rest: value.slice(1 + i), rangeErr: f.rangeErr }
      }
    }
  }

  private numericZone(kind: StdKind, value: string): { rest: string; rangeErr: string } {
    let sign: string
    let hh: string
    let mm = '00'
    let ss = '00'
    let rest: string
    if (kind === 'iso8601ColonTZ' || kind === 'numColonTZ') {
      if (value.length < 6 || value[3] !== ':') throw new Bad()
      ;[sign, hh, mm, rest] = [value.slice(0, 1), value.slice(1, 3), value.slice(4, 6), value.slice(6)]
    } else if (kind === 'numShortTZ' || kind === 'iso8601ShortTZ') {
      if (value.length < 3) throw new Bad()
      ;[sign, hh, rest] = [value.slice(0, 1), value.slice(1, 3), value.slice(3)]
    } else if (kind === 'iso8601ColonSecondsTZ' || kind === 'numColonSecondsTZ') {
      if (value.length < 9 || value[3] !== ':' || value[6] !== ':') throw new Bad()
      ;[sign, hh, mm, ss, rest] = [
        value.slice(0, 1),
        value.slice(1, 3),
        value.slice(4, 6),
        value.slice(7, 9),
        value.slice(9),
      ]
    } else if (kind === 'iso8601SecondsTZ' || kind === 'numSecondsTZ') {
      if (value.length < 7) throw new Bad()
      ;[sign, hh, mm, ss, rest] = [
        value.slice(0, 1),
        value.slice(1, 3),
        value.slice(3, 5),
        value.slice(5, 7),
        value.slice(7),
      ]
    } else {
      if (value.length < 5) throw new Bad()
      ;[sign, hh, mm, rest] = [value.slice(0, 1), value.slice(1, 3), value.slice(3, 5), value.slice(5)]
    }
    const h = getnumOrZero(hh, true)
    const m = h.bad ? { n: 0, bad: true } : getnumOrZero(mm, true)
    const s = m.bad ? { n: 0, bad: true } : getnumOrZero(ss, true)
    let rangeErr = ''
    if (h.n > 24) rangeErr = 'time zone offset hour'
    if (m.n > 60) rangeErr = 'time zone offset minute'
    if (s.n > 60) rangeErr = 'time zone offset second'
    let offset = (h.n * 60 + m.n) * 60 + s.n
    let bad = h.bad || m.bad || s.bad
    if (sign === '-') offset = -offset
    else if (sign !== '+') bad = true
    this.zoneOffset = offset
    if (bad && rangeErr === '') throw new Bad()
    return { rest, rangeErr }
  }

  private finish(value: string): bigint {
    if (this.pmSet && this.hour < 12) this.hour += 12
    else if (this.amSet && this.hour === 12) this.hour = 0
    if (this.yday >= 0) {
      let yday = this.yday
      let d = 0
      let m = 0
      if (isLeapYear(this.year)) {
        if (yday === 31 + 29) {
          m = 2
          d = 29
        } else if (yday > 31 + 29) {
          yday--
        }
      }
      if (yday < 1 || yday > 365) this.error('', value, ': day-of-year out of range')
      if (m === 0) {
        m = Math.floor((yday - 1) / 31) + 1
        if ((DAYS_BEFORE[m] as number) < yday) m++
        d = yday - (DAYS_BEFORE[m - 1] as number)
      }
      if (this.month >= 0 && this.month !== m) this.error('', value, ': day-of-year does not match month')
      this.month = m
      if (this.day >= 0 && this.day !== d) this.error('', value, ': day-of-year does not match day')
      this.day = d
    } else {
      if (this.month < 0) this.month = 1
      if (this.day < 0) this.day = 1
    }
    if (this.day < 1 || this.day > daysInMonth(this.month, this.year)) this.error('', value, ': day out of range')
    const wall = nanosFromCivil(this.year, this.month, this.day, this.hour, this.min, this.sec, this.nsec)
    if (this.utc) return wall
    if (this.zoneOffset !== undefined) return wall - BigInt(this.zoneOffset) * 1_000_000_000n
    // A named zone other than UTC is not the local zone (UTC): Go records it with offset zero,
    // except GMT+h, whose offset it knows.
    if (this.zoneName.length > 3 && this.zoneName.startsWith('GMT')) {
      return wall - BigInt(atoi(this.zoneName.slice(3)) * 3600) * 1_000_000_000n
    }
    return wall
  }
}
