import { RvpsError } from './errors.ts'

const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/**
 * Decodes standard base64 as upstream's `STANDARD` engine does: padding required, no whitespace,
 * no URL-safe letters, and the unused low bits of the last character must be zero (canonical).
 */
export function decodeStandardBase64(text: string, what: string): Uint8Array {
  if (!STANDARD_BASE64.test(text)) {
    throw new RvpsError('INVALID_PAYLOAD', `${what} is not standard base64 (padded, alphabet A-Z a-z 0-9 + /)`)
  }
  const bytes = Buffer.from(text, 'base64')
  // Non-zero trailing bits decode, but re-encode differently: upstream rejects them.
  if (bytes.toString('base64') !== text) {
    throw new RvpsError('INVALID_PAYLOAD', `${what} is not canonical base64 (non-zero trailing bits)`)
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** Standard padded base64 of some bytes. */
export function encodeStandardBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64')
}

/** Decodes UTF-8 strictly (invalid sequences are an error, not U+FFFD). */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch (cause) {
    throw new RvpsError('INVALID_PAYLOAD', `${what} is not valid UTF-8`, { cause })
  }
}
