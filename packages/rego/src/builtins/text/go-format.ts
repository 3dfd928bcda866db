import { Flags, Printer, TYPE_NAMES, type GoArg } from './go-printer.ts'
import type { WorkMeter } from '../work.ts'

export type { GoArg } from './go-printer.ts'

/**
 * Go's fmt.Sprintf, enough for OPA's sprintf: the full verb/flag/width/precision/argument-index
 * grammar of fmt over the operands OPA passes, including its `%!verb(type=value)` notation.
 */

const MAX_NUM = 1_000_000

/** parsenum: digits at s[i..end), or not a number; absurdly large numbers count as none. */
function parseNum(s: string, start: number, end: number): [number, boolean, number] {
  if (start >= end) return [0, false, end]
  let num = 0
  let isNum = false
  let i = start
  for (; i < end && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57; i++) {
    if (num > MAX_NUM) return [0, false, end]
    num = num * 10 + (s.charCodeAt(i) - 48)
    isNum = true
  }
  return [num, isNum, i]
}

function intFromArg(args: readonly GoArg[], argNum: number): [number, boolean, number] {
  if (argNum >= args.length) return [0, false, argNum]
  const a = args[argNum] as GoArg
  let num = 0
  let isInt = false
  if (a.kind === 'int') {
    num = Number(a.value)
    isInt = true
  }
  if (num > MAX_NUM || num < -MAX_NUM) return [0, false, argNum + 1]
  return [num, isInt, argNum + 1]
}

/** One run of doPrintf: the position in the format and the argument bookkeeping. */
class FormatRun {
  readonly p = new Printer()
  readonly format: string
  readonly args: readonly GoArg[]
  pos = 0
  argNum = 0
  afterIndex = false
  reordered = false
  goodArgNum = true

  readonly meter: WorkMeter | undefined

  constructor(format: string, args: readonly GoArg[], meter: WorkMeter | undefined) {
    this.format = format
    this.args = args
    this.meter = meter
  }

  /** An explicit argument index `[n]` at pos, if any. */
  argNumber(): void {
    const { format, pos } = this
    if (pos >= format.length || format[pos] !== '[') {
      this.afterIndex = false
      return
    }
    this.reordered = true
    const close = format.indexOf(']', pos + 1)
    let width = 1
    let index = -1
    let ok = false
    if (format.length - pos >= 3 && close > 0) {
      const [n, isNum, newi] = parseNum(format, pos + 1, close)
      width = close - pos + 1
      if (isNum && newi === close) {
        ok = true
        index = n - 1
      }
    }
    this.pos = pos + width
    if (ok && index >= 0 && index < this.args.length) {
      this.argNum = index
      this.afterIndex = true
      return
    }
    this.goodArgNum = false
    this.afterIndex = ok
  }

  /** A `*` width or precision: the next operand, which must be an int. */
  starArg(): [number, boolean] {
    this.pos++
    const [n, ok, next] = intFromArg(this.args, this.argNum)
    this.argNum = next
    this.afterIndex = false
    return [n, ok]
  }

  /** Everything after a `%`: flags, index, width, precision and the verb. */
  directive(): boolean {
    const { format, args, p } = this
    const end = format.length
    const f = (p.f = new Flags())
    for (; this.pos < end; this.pos++) {
      const c = format.charAt(this.pos)
      if (c === '#') f.sharp = true
      else if (c === '0') f.zero = true
      else if (c === '+') f.plus = true
      else if (c === '-') f.minus = true
      else if (c === ' ') f.space = true
      else {
        // Go's fast path: a lower-case verb right after the flags.
        const arg = args[this.argNum]
        if (c >= 'a' && c <= 'z' && arg !== undefined) {
          this.print(arg, c)
          this.pos++
          return true
        }
        break
      }
    }
    this.argNumber()
    if (format[this.pos] === '*') {
      ;[f.wid, f.widPresent] = this.starArg()
      if (!f.widPresent) p.out += '%!(BADWIDTH)'
      if (f.wid < 0) {
        f.wid = -f.wid
        f.minus = true
        f.zero = false
      }
    } else {
      ;[f.wid, f.widPresent, this.pos] = parseNum(format, this.pos, end)
      if (this.afterIndex && f.widPresent) this.goodArgNum = false
    }
    if (this.pos + 1 < end && format[this.pos] === '.') {
      this.pos++
      if (this.afterIndex) this.goodArgNum = false
      this.argNumber()
      if (format[this.pos] === '*') {
        ;[f.prec, f.precPresent] = this.starArg()
        if (f.prec < 0) {
          f.prec = 0
          f.precPresent = false
        }
        if (!f.precPresent) p.out += '%!(BADPREC)'
      } else {
        ;[f.prec, f.precPresent, this.pos] = parseNum(format, this.pos, end)
        if (!f.precPresent) {
          f.prec = 0
          f.precPresent = true
        }
      }
    }
    if (!this.afterIndex) this.argNumber()
    if (this.pos >= end) {
      p.out += '%!(NOVERB)'
      return false
    }
    const verb = String.fromCodePoint(format.codePointAt(this.pos) as number)
    this.pos += verb.length
    const arg = args[this.argNum]
    if (verb === '%') p.out += '%'
    else if (!this.goodArgNum) p.out += '%!' + verb + '(BADINDEX)'
    else if (arg === undefined) p.out += '%!' + verb + '(MISSING)'
    else this.print(arg, verb)
    return true
  }

  print(arg: GoArg, verb: string): void {
    const f = this.p.f
    if (verb === 'v') {
      f.sharpV = f.sharp
      f.sharp = false
      f.plusV = f.plus
      f.plus = false
    }
    this.p.printArg(arg, verb)
    this.argNum++
  }

  run(): string {
    const { format, p, meter } = this
    let written = 0
    while (this.pos < format.length) {
      this.goodArgNum = true
      const start = this.pos
      while (this.pos < format.length && format[this.pos] !== '%') this.pos++
      p.out += format.slice(start, this.pos)
      if (this.pos >= format.length) break
      this.pos++
      const more = this.directive()
      // Widths and precisions up to a million each: the text is counted as it grows.
      meter?.addText(p.out.length - written)
      written = p.out.length
      if (!more) break
    }
    if (!this.reordered && this.argNum < this.args.length) {
      p.f = new Flags()
      p.out += '%!(EXTRA '
      this.args.slice(this.argNum).forEach((a, i) => {
        if (i > 0) p.out += ', '
        p.out += TYPE_NAMES[a.kind] + '='
        p.printArg(a, 'v')
      })
      p.out += ')'
    }
    return p.out
  }
}

/** Go's fmt.Sprintf over the given operands; `meter` (when given) counts the text as it is written. */
export function goSprintf(format: string, args: readonly GoArg[], meter?: WorkMeter): string {
  return new FormatRun(format, args, meter).run()
}
