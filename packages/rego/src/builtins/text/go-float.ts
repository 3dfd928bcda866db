/**
 * Go's strconv.FormatFloat for float64, exactly: shortest digits for precision -1, correctly
 * rounded (ties to even on the exact binary value) digits otherwise, and Go's %e/%f/%g/%b/%x
 * layouts. JS toFixed/toPrecision round ties away from zero, so digits come from an exact
 * BigInt expansion instead.
 */

/** A decimal 0.d1d2...dn × 10^dp (Go's decimalSlice); `d` has no leading zeros. */
interface Decimal {
  d: string
  dp: number
}

function floatBits(x: number): { mant: bigint; exp: number } {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const bits = view.getBigUint64(0)
  const rawExp = Number((bits >> 52n) & 0x7ffn)
  let mant = bits & ((1n << 52n) - 1n)
  let exp: number
  if (rawExp === 0) exp = -1074
  else {
    mant |= 1n << 52n
    exp = rawExp - 1075
  }
  return { mant, exp }
}

function trimZeros(dec: Decimal): Decimal {
  let n = dec.d.length
  while (n > 0 && dec.d[n - 1] === '0') n--
  return n === 0 ? { d: '', dp: 0 } : { d: dec.d.slice(0, n), dp: dec.dp }
}

/** Every digit of |x| (finite): a binary fraction always has a finite decimal expansion. */
export function exactDecimal(x: number): Decimal {
  const { mant, exp } = floatBits(Math.abs(x))
  if (mant === 0n) return { d: '', dp: 0 }
  if (exp >= 0) {
    const digits = (mant << BigInt(exp)).toString()
    return trimZeros({ d: digits, dp: digits.length })
  }
  const digits = (mant * 5n ** BigInt(-exp)).toString()
  return trimZeros({ d: digits, dp: digits.length + exp })
}

/** The shortest digits that read back as |x| (JS and Go pick the same ones). */
export function shortestDecimal(x: number): Decimal {
  if (x === 0) return { d: '', dp: 0 }
  const [mantissa, exponent] = Math.abs(x).toExponential().split('e') as [string, string]
  return trimZeros({ d: mantissa.replace('.', ''), dp: Number(exponent) + 1 })
}

/** Round to nd significant digits, ties to even (Go's decimal.Round on exact digits). */
function roundDecimal(dec: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= dec.d.length) return dec
  const digit = dec.d.charCodeAt(nd) - 48
  let up: boolean
  if (digit === 5 && nd + 1 === dec.d.length) {
    up = nd > 0 && (dec.d.charCodeAt(nd - 1) - 48) % 2 === 1
  } else up = digit >= 5
  if (!up) return trimZeros({ d: dec.d.slice(0, nd), dp: dec.dp })
  for (let i = nd - 1; i >= 0; i--) {
    const c = dec.d.charCodeAt(i)
    if (c < 57) return { d: dec.d.slice(0, i) + String.fromCharCode(c + 1), dp: dec.dp }
  }
  return { d: '1', dp: dec.dp + 1 }
}

function digitAt(dec: Decimal, i: number): string {
  return i >= 0 && i < dec.d.length ? (dec.d[i] as string) : '0'
}

function fmtE(neg: boolean, dec: Decimal, prec: number, e: string): string {
  let out = neg ? '-' : ''
  out += dec.d.length ? dec.d.charAt(0) : '0'
  if (prec > 0) {
    out += '.'
    for (let i = 1; i <= prec; i++) out += digitAt(dec, i)
  }
  let exp = dec.d.length === 0 ? 0 : dec.dp - 1
  const sign = exp < 0 ? '-' : '+'
  exp = Math.abs(exp)
  return out + e + sign + String(exp).padStart(2, '0')
}

function fmtF(neg: boolean, dec: Decimal, prec: number): string {
  let out = neg ? '-' : ''
  if (dec.dp > 0) {
    for (let i = 0; i < dec.dp; i++) out += digitAt(dec, i)
  } else out += '0'
  if (prec > 0) {
    out += '.'
    for (let i = 1; i <= prec; i++) out += digitAt(dec, dec.dp + i - 1)
  }
  return out
}

function fmtB(neg: boolean, x: number): string {
  const { mant, exp } = floatBits(Math.abs(x))
  const e = mant === 0n ? -1074 : exp
  return `${neg ? '-' : ''}${mant}p${e >= 0 ? '+' : '-'}${Math.abs(e)}`
}

function fmtX(neg: boolean, x: number, prec: number, upper: boolean): string {
  const bits = floatBits(Math.abs(x))
  let mant = bits.mant
  let exp = mant === 0n ? 0 : bits.exp + 52
  const top = 1n << 60n
  mant <<= 8n
  while (mant !== 0n && (mant & top) === 0n) {
    mant <<= 1n
    exp--
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4)
    const extra = (mant << shift) & (top - 1n)
    mant >>= 60n - shift
    if ((extra | (mant & 1n)) > 1n << 59n) mant++
    mant <<= 60n - shift
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n
      exp++
    }
  }
  const digits = upper ? '0123456789ABCDEF' : '0123456789abcdef'
  let out = (neg ? '-' : '') + '0' + (upper ? 'X' : 'x') + String((mant >> 60n) & 1n)
  mant = (mant << 4n) & ((1n << 64n) - 1n)
  const fraction = (count: number): string => {
    let s = ''
    for (let i = 0; i < count; i++) {
      s += digits.charAt(Number((mant >> 60n) & 15n))
      mant = (mant << 4n) & ((1n << 64n) - 1n)
    }
    return s
  }
  if (prec < 0 && mant !== 0n) {
    out += '.'
    while (mant !== 0n) out += fraction(1)
  } else if (prec > 0) out += '.' + fraction(prec)
  const e = Math.abs(exp)
  return out + (upper ? 'P' : 'p') + (exp < 0 ? '-' : '+') + String(e).padStart(2, '0')
}

/** strconv.FormatFloat(x, verb, prec, 64) for verbs b e E f F g G x X. */
export function formatFloat(x: number, verb: string, prec: number): string {
  if (Number.isNaN(x)) return 'NaN'
  if (x === Infinity) return '+Inf'
  if (x === -Infinity) return '-Inf'
  const neg = x < 0 || Object.is(x, -0)
  if (verb === 'b') return fmtB(neg, x)
  if (verb === 'x' || verb === 'X') return fmtX(neg, x, prec, verb === 'X')
  const fmt = verb === 'F' ? 'f' : verb
  const shortest = prec < 0
  let dec: Decimal
  if (shortest) {
    dec = shortestDecimal(x)
    if (fmt === 'e' || fmt === 'E') prec = Math.max(dec.d.length - 1, 0)
    else if (fmt === 'f') prec = Math.max(dec.d.length - dec.dp, 0)
    else prec = dec.d.length
  } else {
    const exact = exactDecimal(x)
    if (fmt === 'e' || fmt === 'E') dec = roundDecimal(exact, prec + 1)
    else if (fmt === 'f') dec = roundDecimal(exact, exact.dp + prec)
    else {
      if (prec === 0) prec = 1
      dec = roundDecimal(exact, prec)
    }
  }
  if (fmt === 'e' || fmt === 'E') return fmtE(neg, dec, prec, fmt)
  if (fmt === 'f') return fmtF(neg, dec, prec)
  // %g: exponent form when the exponent is < -4 or >= the precision (6 for shortest).
  let eprec = prec
  if (eprec > dec.d.length && dec.d.length >= dec.dp) eprec = dec.d.length
  if (shortest) eprec = 6
  const exp = dec.dp - 1
  if (exp < -4 || exp >= eprec) {
    if (prec > dec.d.length) prec = dec.d.length
    return fmtE(neg, dec, prec - 1, fmt === 'G' ? 'E' : 'e')
  }
  if (prec > dec.dp) prec = dec.d.length
  return fmtF(neg, dec, Math.max(prec - dec.dp, 0))
}
