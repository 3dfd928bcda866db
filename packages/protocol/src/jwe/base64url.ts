import { ProtocolError } from '../errors.ts'

const BASE64URL_NO_PAD = /^[A-Za-z0-9_-]*$/

/** Base64url without padding (RFC 7515 §2), the encoding of every binary JWE/JWK member. */
export function base64UrlEncode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url')
}

/**
 * Strict decoder: Buffer's own decoder skips invalid characters and accepts padding, which would
 * let two different strings name the same bytes. `what` names the field in the error message.
 */
export function base64UrlDecode(text: string, what: string): Buffer {
  if (!BASE64URL_NO_PAD.test(text) || text.length % 4 === 1) {
    throw new ProtocolError('MALFORMED', `${what} is not base64url without padding`)
  }
  const bytes = Buffer.from(text, 'base64url')
  // Non-canonical trailing bits (e.g. "AB" vs "AA" for one byte) decode to the same bytes.
  if (bytes.toString('base64url') !== text) {
    throw new ProtocolError('MALFORMED', `${what} is not canonical base64url`)
  }
  return bytes
}
