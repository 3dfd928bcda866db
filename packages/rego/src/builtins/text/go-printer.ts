import { formatFloat } from './go-float.ts'
import { canBackquote, goQuote, goQuoteRune, isPrint } from './go-quote.ts'
import { utf8Bytes } from './utf8.ts'

/**
 * The operands OPA's sprintf passes to Go's fmt: `int`, `*big.Int`, `float64` and `string`,
 * and how fmt prints each of them for every verb and flag (go-format.ts parses the format).
 */
export type GoArg =
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'bigint'; readonly value: bigint }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }

export const TYPE_NAMES: Record<GoArg['kind'], string> = {
  int: 'int',
  bigint: '*big.Int',
  float: 'float64',
  string: 'string',
}

export class Flags {
  plus = false
  minus = false
  sharp = false
  space = false
  zero = false
  plusV = false
  sharpV = false
  wid = 0
  widPresent = false
  prec = 0
  precPresent = false
}

function codePointCount(s: string): number {
  return Array.from(s).length
}

/** fmt's pp and fmt state for one directive: the flags and the verb implementations. */
export class Printer {
  out = ''
  f = new Flags()

  private padding(n: number, zero: boolean): string {
    return n > 0 ? (zero && !this.f.minus ? '0' : ' ').repeat(n) : ''
  }

  /** fmt.pad: width counts code points; zero padding only to the left. */
  pad(s: string, allowZero = true): void {
    if (!this.f.widPresent || this.f.wid === 0) {
      this.out += s
      return
    }
    const n = this.f.wid - codePointCount(s)
    if (!this.f.minus) this.out += this.padding(n, allowZero && this.f.zero) + s
    else this.out += s + this.padding(n, false)
  }

  truncate(s: string): string {
    if (!this.f.precPresent) return s
    let n = this.f.prec
    let i = 0
    for (const ch of s) {
      if (n-- <= 0) return s.slice(0, i)
      i += ch.length
    }
    return s
  }

  badVerb(verb: string, arg: GoArg): void {
    this.out += '%!' + verb + '(' + TYPE_NAMES[arg.kind] + '='
    this.printArg(arg, 'v')
    this.out += ')'
  }

  printArg(arg: GoArg, verb: string): void {
    if (verb === 'T') {
      this.pad(this.truncate(TYPE_NAMES[arg.kind]), false)
      return
    }
    if (verb === 'p' && arg.kind !== 'bigint') {
      this.badVerb(verb, arg)
      return
    }
    switch (arg.kind) {
      case 'int':
        this.fmtIntegerVerb(arg.value, verb, arg)
        return
      case 'bigint':
        this.fmtBigInt(arg.value, verb)
        return
      case 'float':
        this.fmtFloatVerb(arg.value, verb, arg)
        return
      case 'string':
        this.fmtStringVerb(arg.value, verb, arg)
        return
    }
  }

  fmtIntegerVerb(v: bigint, verb: string, arg: GoArg): void {
    switch (verb) {
      case 'v':
      case 'd':
        this.fmtInteger(v, 10, verb, false)
        return
      case 'b':
        this.fmtInteger(v, 2, verb, false)
        return
      case 'o':
      case 'O':
        this.fmtInteger(v, 8, verb, false)
        return
      case 'x':
        this.fmtInteger(v, 16, verb, false)
        return
      case 'X':
        this.fmtInteger(v, 16, verb, true)
        return
      case 'c':
        this.pad(String.fromCodePoint(validRune(v)))
        return
      case 'q':
        this.pad(goQuoteRune(validRune(v), this.f.plus))
        return
      case 'U':
        this.fmtUnicode(v)
        return
      default:
        this.badVerb(verb, arg)
    }
  }

  /** fmt.fmtInteger: precision gives minimum digits, '0' pads with zeros after the sign. */
  fmtInteger(v: bigint, base: number, verb: string, upper: boolean): void {
    const f = this.f
    const negative = v < 0n
    let digits = (negative ? -v : v).toString(base)
    if (upper) digits = digits.toUpperCase()
    let prec = 0
    if (f.precPresent) {
      prec = f.prec
      if (prec === 0 && v === 0n) {
        this.out += f.widPresent ? ' '.repeat(f.wid) : ''
        return
      }
    } else if (f.zero && !f.minus && f.widPresent) {
      prec = f.wid
      if (negative || f.plus || f.space) prec--
    }
    if (digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits
    if (f.sharp) {
      if (base === 2) digits = '0b' + digits
      else if (base === 8 && digits[0] !== '0') digits = '0' + digits
      else if (base === 16) digits = (upper ? '0X' : '0x') + digits
    }
    if (verb === 'O') digits = '0o' + digits
    if (negative) digits = '-' + digits
    else if (f.plus) digits = '+' + digits
    else if (f.space) digits = ' ' + digits
    this.pad(digits, false)
  }

  fmtUnicode(v: bigint): void {
    let s =
      'U+' +
      (v < 0n ? v + (1n << 64n) : v)
        .toString(16)
        .toUpperCase()
        .padStart(this.f.precPresent ? Math.max(this.f.prec, 4) : 4, '0')
    if (this.f.sharp && v >= 0n && v <= 0x10ffffn && isPrint(Number(v))) {
      s += " '" + String.fromCodePoint(Number(v)) + "'"
    }
    this.pad(s, false)
  }

  /** big.Int's Format method, which handles its own padding and unknown verbs. */
  fmtBigInt(v: bigint, verb: string): void {
    const f = this.f
    let base: number
    switch (verb) {
      case 'b':
        base = 2
        break
      case 'o':
      case 'O':
        base = 8
        break
      case 'd':
      case 's':
      case 'v':
        base = 10
        break
      case 'x':
      case 'X':
        base = 16
        break
      default:
        this.out += `%!${verb}(big.Int=${v.toString()})`
        return
    }
    const sign = v < 0n ? '-' : f.plus || f.plusV ? '+' : f.space ? ' ' : ''
    let prefix = ''
    if (f.sharp || f.sharpV) {
      if (verb === 'b') prefix = '0b'
      else if (verb === 'o') prefix = '0'
      else if (verb === 'x') prefix = '0x'
      else if (verb === 'X') prefix = '0X'
    }
    if (verb === 'O') prefix = '0o'
    let digits = (v < 0n ? -v : v).toString(base)
    if (verb === 'X') digits = digits.toUpperCase()
    let left = 0
    let zeros = 0
    let right = 0
    if (f.precPresent) {
      if (digits.length < f.prec) zeros = f.prec - digits.length
      else if (digits === '0' && f.prec === 0) return
    }
    const length = sign.length + prefix.length + zeros + digits.length
    if (f.widPresent && length < f.wid) {
      const d = f.wid - length
      if (f.minus) right = d
      else if (f.zero && !f.precPresent) zeros = d
      else left = d
    }
    this.out += ' '.repeat(left) + sign + prefix + '0'.repeat(zeros) + digits + ' '.repeat(right)
  }

  fmtFloatVerb(v: number, verb: string, arg: GoArg): void {
    switch (verb) {
      case 'v':
        this.fmtFloat(v, 'g', -1)
        return
      case 'b':
      case 'g':
      case 'G':
      case 'x':
      case 'X':
        this.fmtFloat(v, verb, -1)
        return
      case 'f':
      case 'e':
      case 'E':
      case 'F':
        this.fmtFloat(v, verb, 6)
        return
      default:
        this.badVerb(verb, arg)
    }
  }

  /** fmt.fmtFloat: sign handling, '#' keeping the point and trailing zeros, zero padding. */
  fmtFloat(v: number, verb: string, defaultPrec: number): void {
    const f = this.f
    const prec = f.precPresent ? f.prec : defaultPrec
    let num = formatFloat(v, verb, prec)
    num = num[0] === '-' || num[0] === '+' ? num : '+' + num
    if (f.space && num[0] === '+' && !f.plus) num = ' ' + num.slice(1)
    if (num[1] === 'I' || num[1] === 'N') {
      if (num[1] === 'N' && !f.space && !f.plus) num = num.slice(1)
      this.pad(num, false)
      return
    }
    if (f.sharp && verb !== 'b') num = sharpFloat(num, verb, prec)
    if (f.plus || num[0] !== '+') {
      if (f.zero && !f.minus && f.widPresent && f.wid > num.length) {
        this.out += num.charAt(0) + '0'.repeat(f.wid - num.length) + num.slice(1)
        return
      }
      this.pad(num, false)
      return
    }
    this.pad(num.slice(1), false)
  }

  fmtStringVerb(s: string, verb: string, arg: GoArg): void {
    switch (verb) {
      case 'v':
        if (this.f.sharpV) this.fmtQ(s)
        else this.pad(this.truncate(s), false)
        return
      case 's':
        this.pad(this.truncate(s), false)
        return
      case 'x':
      case 'X':
        this.fmtSx(s, verb === 'X')
        return
      case 'q':
        this.fmtQ(s)
        return
      default:
        this.badVerb(verb, arg)
    }
  }

  fmtQ(s: string): void {
    const t = this.truncate(s)
    if (this.f.sharp && canBackquote(t)) this.pad('`' + t + '`', false)
    else this.pad(goQuote(t, this.f.plus), false)
  }

  /** fmt.fmtSx: hex of the UTF-8 bytes; ' ' separates bytes, '#' adds 0x prefixes. */
  fmtSx(s: string, upper: boolean): void {
    const f = this.f
    let bytes = utf8Bytes(s)
    if (f.precPresent && f.prec < bytes.length) bytes = bytes.slice(0, f.prec)
    const x = upper ? 'X' : 'x'
    let out = ''
    if (bytes.length === 0) {
      if (f.widPresent) this.out += ' '.repeat(f.wid)
      return
    }
    bytes.forEach((b, i) => {
      if (f.space && i > 0) out += ' '
      if (f.sharp && (f.space || i === 0)) out += '0' + x
      const h = b.toString(16).padStart(2, '0')
      out += upper ? h.toUpperCase() : h
    })
    this.pad(out, false)
  }
}

function validRune(v: bigint): number {
  if (v < 0n || v > 0x10ffffn || (v >= 0xd800n && v <= 0xdfffn)) return 0xfffd
  return Number(v)
}

/** The '#' flag on floats: always a decimal point, and %g keeps its trailing zeros. */
function sharpFloat(num: string, verb: string, prec: number): string {
  let digits = 0
  if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') digits = prec === -1 ? 6 : prec
  let tail = ''
  let body = num
  let hasPoint = false
  let sawNonzero = false
  for (let i = 1; i < body.length; i++) {
    const c = body[i] as string
    if (c === '.') {
      hasPoint = true
      continue
    }
    if (c === 'p' || c === 'P' || ((c === 'e' || c === 'E') && verb !== 'x' && verb !== 'X')) {
      tail = body.slice(i)
      body = body.slice(0, i)
      break
    }
    if (c !== '0') sawNonzero = true
    if (sawNonzero) digits--
  }
  if (!hasPoint) {
    if (body.length === 2 && body[1] === '0') digits--
    body += '.'
  }
  while (digits > 0) {
    body += '0'
    digits--
  }
  return body + tail
}
