import { KeyProviderError } from './keyprovider-error.ts'

// keyprovider.proto has two messages, each `bytes <Name> = 1;` carrying the §4.3 JSON. Encoding one
// length-delimited field by hand avoids a .proto loader; decoding follows proto3 (unknown fields
// skipped, the last occurrence of field 1 wins, an absent field is empty).

const FIELD_1_BYTES = 0x0a
/** Far above any ocicrypt message (privopts JSON is ~200 bytes); bounds what a peer can make us hold. */
export const MAX_KEY_PROVIDER_MESSAGE_BYTES = 1024 * 1024

function varint(value: number): Buffer {
  const out: number[] = []
  let v = value
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80)
    v = Math.floor(v / 0x80)
  }
  out.push(v)
  return Buffer.from(out)
}

export function encodeKeyProviderMessage(payload: Uint8Array): Buffer {
  if (payload.length === 0) return Buffer.alloc(0)
  return Buffer.concat([Buffer.from([FIELD_1_BYTES]), varint(payload.length), payload])
}

function malformed(what: string): KeyProviderError {
  return new KeyProviderError('BAD_REQUEST', `key provider protobuf message: ${what}`)
}

function readVarint(bytes: Uint8Array, start: number): { value: number; next: number } {
  let value = 0
  let scale = 1
  for (let i = start; i < bytes.length && i < start + 10; i++) {
    const b = bytes[i] ?? 0
    value += (b & 0x7f) * scale
    if ((b & 0x80) === 0) {
      if (!Number.isSafeInteger(value)) throw malformed('varint too large')
      return { value, next: i + 1 }
    }
    scale *= 0x80
  }
  throw malformed('truncated varint')
}

export function decodeKeyProviderMessage(bytes: Uint8Array): Buffer {
  if (bytes.length > MAX_KEY_PROVIDER_MESSAGE_BYTES)
    throw malformed(`larger than ${MAX_KEY_PROVIDER_MESSAGE_BYTES} bytes`)
  let payload: Buffer = Buffer.alloc(0)
  let at = 0
  while (at < bytes.length) {
    const key = readVarint(bytes, at)
    const fieldNumber = Math.floor(key.value / 8)
    const wireType = key.value % 8
    if (fieldNumber === 0) throw malformed('field number 0')
    at = key.next
    if (wireType === 0) {
      at = readVarint(bytes, at).next
    } else if (wireType === 1 || wireType === 5) {
      at += wireType === 1 ? 8 : 4
    } else if (wireType === 2) {
      const length = readVarint(bytes, at)
      const end = length.next + length.value
      if (end > bytes.length) throw malformed('length-delimited field runs past the end')
      if (fieldNumber === 1) payload = Buffer.from(bytes.subarray(length.next, end))
      at = end
    } else {
      throw malformed(`unsupported wire type ${wireType}`)
    }
    if (at > bytes.length) throw malformed('fixed-width field runs past the end')
  }
  return payload
}
