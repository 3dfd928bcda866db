/**
 * The DER (X.690) encodings that certificates and CRLs need: the KBS's self-signed certificates
 * and the verifiers' synthetic test PKI. Each function returns one complete TLV; nothing here parses.
 */

function lengthOf(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length])
  const bytes: number[] = []
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

export function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), lengthOf(content.length), content])
}

export const sequence = (...items: readonly Uint8Array[]): Buffer => tlv(0x30, Buffer.concat(items))
export const set = (...items: readonly Uint8Array[]): Buffer => tlv(0x31, Buffer.concat(items))
export const octetString = (bytes: Uint8Array): Buffer => tlv(0x04, bytes)
export const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'))
export const boolean = (value: boolean): Buffer => tlv(0x01, Buffer.from([value ? 0xff : 0x00]))
export const nullValue = (): Buffer => Buffer.from([0x05, 0x00])
/** A BIT STRING of whole bytes (no unused bits). */
export const bitString = (bytes: Uint8Array): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), bytes]))
/** `[n] EXPLICIT`: a constructed context tag wrapping one element. */
export const explicit = (n: number, inner: Uint8Array): Buffer => tlv(0xa0 | n, inner)
/** `[n] IMPLICIT` of a primitive type. */
export const implicitPrimitive = (n: number, content: Uint8Array): Buffer => tlv(0x80 | n, content)

/** A non-negative INTEGER from big-endian magnitude bytes (minimal, 0x00 pad when the top bit is set). */
export function unsignedInteger(magnitude: Uint8Array): Buffer {
  let start = 0
  while (start < magnitude.length - 1 && magnitude[start] === 0) start += 1
  const trimmed = Buffer.from(magnitude.subarray(start))
  const first = trimmed[0] ?? 0
  return tlv(0x02, first >= 0x80 || trimmed.length === 0 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed)
}

export const smallInteger = (value: number): Buffer => unsignedInteger(Buffer.from([value]))

export function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number)
  const [first = 0, second = 0, ...rest] = arcs
  const bytes: number[] = [first * 40 + second]
  for (const arc of rest) {
    const chunk: number[] = [arc & 0x7f]
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) {
      chunk.unshift((value & 0x7f) | 0x80)
    }
    bytes.push(...chunk)
  }
  return tlv(0x06, Buffer.from(bytes))
}

/** RFC 5280: UTCTime through 2049, GeneralizedTime from 2050; whole seconds, Zulu. */
export function time(date: Date): Buffer {
  const digits = date.toISOString().slice(0, 19).replace(/[-T:]/g, '')
  const year = date.getUTCFullYear()
  if (year >= 1950 && year < 2050) return tlv(0x17, Buffer.from(`${digits.slice(2)}Z`, 'ascii'))
  return tlv(0x18, Buffer.from(`${digits}Z`, 'ascii'))
}
