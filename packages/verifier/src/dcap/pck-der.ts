/*
 * The little DER the PCK checks need: TLVs, OIDs, INTEGER/time values, the certificate
 * extension list and the CRL fields. Throws `DerError`; callers map it to their error code.
 */

export class DerError extends Error {}

export interface Tlv {
  readonly tag: number
  /** The content octets. */
  readonly value: Uint8Array
  /** The whole element, tag and length included. */
  readonly raw: Uint8Array
}

/** Reads one TLV at `offset`; returns it and the offset after it. */
function byteAt(bytes: Uint8Array, i: number): number {
  const b = bytes[i]
  if (b === undefined) throw new DerError('truncated DER element')
  return b
}

export function readTlv(bytes: Uint8Array, offset = 0): { tlv: Tlv; next: number } {
  if (offset + 2 > bytes.length) throw new DerError('truncated DER element')
  const tag = byteAt(bytes, offset)
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte DER tags are not used here')
  let length = byteAt(bytes, offset + 1)
  let start = offset + 2
  if (length & 0x80) {
    const n = length & 0x7f
    if (n === 0 || n > 4 || start + n > bytes.length) throw new DerError('bad DER length')
    length = 0
    for (let i = 0; i < n; i++) length = length * 256 + byteAt(bytes, start + i)
    start += n
  }
  const end = start + length
  if (end > bytes.length) throw new DerError('DER element runs past its container')
  return { tlv: { tag, value: bytes.subarray(start, end), raw: bytes.subarray(offset, end) }, next: end }
}

/** The elements of a constructed value, in order. */
export function children(value: Uint8Array): Tlv[] {
  const out: Tlv[] = []
  let offset = 0
  while (offset < value.length) {
    const { tlv, next } = readTlv(value, offset)
    out.push(tlv)
    offset = next
  }
  return out
}

export function expectTag(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (tlv === undefined || tlv.tag !== tag) throw new DerError(`${what}: expected DER tag 0x${tag.toString(16)}`)
  return tlv
}

export function oidToString(value: Uint8Array): string {
  const first = byteAt(value, 0)
  const parts: number[] = [Math.floor(first / 40), first % 40]
  let n = 0
  for (const b of value.subarray(1)) {
    n = n * 128 + (b & 0x7f)
    if ((b & 0x80) === 0) {
      parts.push(n)
      n = 0
    }
  }
  return parts.join('.')
}

/** A non-negative INTEGER (or ENUMERATED) small enough for a JS number. */
export function smallInteger(tlv: Tlv): number {
  if (tlv.value.length === 0 || tlv.value.length > 6) throw new DerError('integer out of range')
  let n = 0
  for (const b of tlv.value) n = n * 256 + b
  return n
}

/** UTCTime (0x17) or GeneralizedTime (0x18) as a Date. */
export function derTime(tlv: Tlv): Date {
  const text = Buffer.from(tlv.value).toString('latin1')
  const m =
    tlv.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
  if (m === null || (tlv.tag !== 0x17 && tlv.tag !== 0x18)) throw new DerError(`bad DER time ${JSON.stringify(text)}`)
  let year = Number(m[1])
  if (tlv.tag === 0x17) year += year >= 50 ? 1900 : 2000
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])))
}

/** The extensions of a DER certificate as OID → extnValue content (the OCTET STRING's bytes). */
export function certificateExtensions(der: Uint8Array): Map<string, Uint8Array> {
  const cert = expectTag(readTlv(der).tlv, 0x30, 'certificate')
  const tbs = expectTag(children(cert.value)[0], 0x30, 'tbsCertificate')
  const out = new Map<string, Uint8Array>()
  const explicit3 = children(tbs.value).find((t) => t.tag === 0xa3)
  if (explicit3 === undefined) return out
  const list = expectTag(children(explicit3.value)[0], 0x30, 'extensions')
  for (const ext of children(list.value)) {
    const parts = children(expectTag(ext, 0x30, 'extension').value)
    const oid = oidToString(expectTag(parts[0], 0x06, 'extension id').value)
    const value = expectTag(parts[parts.length - 1], 0x04, 'extension value').value
    out.set(oid, value)
  }
  return out
}
