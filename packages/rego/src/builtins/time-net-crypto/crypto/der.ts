/**
 * A small DER reader: enough ASN.1 to walk X.509 certificates and PKCS#10 requests for the
 * fields node:crypto does not expose. Structural errors throw DerError.
 */

export class DerError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DerError'
  }
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  SEQUENCE: 0x30,
  SET: 0x31,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  BMP_STRING: 0x1e,
  UNIVERSAL_STRING: 0x1c,
  NUMERIC_STRING: 0x12,
} as const

/** One TLV: `tag` is the identifier octet (class, constructed bit and low tag number). */
export interface Der {
  tag: number
  /** Content octets. */
  value: Buffer
  /** The whole encoding, header included. */
  raw: Buffer
}

/** Reads the TLV at `offset`; returns it and the offset after it. */
export function readDer(buf: Buffer, offset = 0): { der: Der; next: number } {
  if (offset + 2 > buf.length) throw new DerError('truncated tag or length')
  const tag = buf[offset] as number
  if ((tag & 0x1f) === 0x1f) throw new DerError('high-tag-number form not supported')
  let len = buf[offset + 1] as number
  let p = offset + 2
  if (len & 0x80) {
    const n = len & 0x7f
    if (n === 0 || n > 4) throw new DerError('unsupported length form')
    if (p + n > buf.length) throw new DerError('truncated length')
    len = 0
    for (let i = 0; i < n; i++) len = len * 256 + (buf[p + i] as number)
    if (len < 0x80 || (buf[p] as number) === 0) throw new DerError('non-minimal length')
    p += n
  }
  if (p + len > buf.length) throw new DerError('data truncated')
  return { der: { tag, value: buf.subarray(p, p + len), raw: buf.subarray(offset, p + len) }, next: p + len }
}

/** Reads exactly one TLV spanning all of `buf`. */
export function parseDer(buf: Buffer): Der {
  const { der, next } = readDer(buf, 0)
  if (next !== buf.length) throw new DerError('trailing data')
  return der
}

/** The children of a constructed value. */
export function children(d: Der): Der[] {
  const out: Der[] = []
  let p = 0
  while (p < d.value.length) {
    const { der, next } = readDer(d.value, p)
    out.push(der)
    p = next
  }
  return out
}

export function expectTag(d: Der | undefined, tag: number, what: string): Der {
  if (!d || d.tag !== tag) throw new DerError(`malformed ${what}`)
  return d
}

export function oidText(d: Der): string {
  return oidArcs(d).join('.')
}

export function oidArcs(d: Der): number[] {
  const v = d.value
  if (v.length === 0) throw new DerError('malformed OID')
  const arcs: number[] = []
  let n = 0
  for (let i = 0; i < v.length; i++) {
    const b = v[i] as number
    n = n * 128 + (b & 0x7f)
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = n < 40 ? 0 : n < 80 ? 1 : 2
        arcs.push(first, n - first * 40)
      } else {
        arcs.push(n)
      }
      n = 0
    }
  }
  return arcs
}

/** An INTEGER as a bigint (two's complement). */
export function integerValue(d: Der): bigint {
  const v = d.value
  if (v.length === 0) throw new DerError('malformed integer')
  let n = 0n
  for (const b of v) n = (n << 8n) | BigInt(b)
  if (((v[0] as number) & 0x80) !== 0) n -= 1n << BigInt(v.length * 8)
  return n
}

/** BIT STRING content without the unused-bits octet, and the bit count. */
export function bitString(d: Der): { bytes: Buffer; bitLength: number } {
  const v = d.value
  if (v.length === 0) throw new DerError('malformed bit string')
  const unused = v[0] as number
  return { bytes: v.subarray(1), bitLength: (v.length - 1) * 8 - unused }
}

/** Text of a string-typed value, decoded as Go's asn1 package does. */
export function stringValue(d: Der): string {
  switch (d.tag) {
    case TAG.BMP_STRING: {
      let s = ''
      for (let i = 0; i + 1 < d.value.length; i += 2) s += String.fromCharCode(d.value.readUInt16BE(i))
      return s
    }
    case TAG.UNIVERSAL_STRING: {
      let s = ''
      for (let i = 0; i + 3 < d.value.length; i += 4) s += String.fromCodePoint(d.value.readUInt32BE(i))
      return s
    }
    case TAG.T61_STRING:
      return d.value.toString('latin1')
    default:
      return d.value.toString('utf8')
  }
}

/** UTCTime / GeneralizedTime as an ISO string in UTC ("2021-07-01T17:41:53Z"). */
export function timeValue(d: Der): string {
  const s = d.value.toString('latin1')
  let m: RegExpExecArray | null
  if (d.tag === TAG.UTC_TIME) {
    m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
    if (!m) throw new DerError('malformed UTCTime')
    const yy = Number(m[1])
    const year = yy >= 50 ? 1900 + yy : 2000 + yy
    return `${year}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`
  }
  if (d.tag === TAG.GENERALIZED_TIME) {
    m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(s)
    if (!m) throw new DerError('malformed GeneralizedTime')
    const frac = m[7] ? m[7].replace(/0+$/, '') : ''
    return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${frac === '.' ? '' : frac}Z`
  }
  throw new DerError('malformed time')
}

/** Context-specific tag number of `d` (0x80/0xa0 class), or -1. */
export function contextTag(d: Der): number {
  return (d.tag & 0xc0) === 0x80 ? d.tag & 0x1f : -1
}
