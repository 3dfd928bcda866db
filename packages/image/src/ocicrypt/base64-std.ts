import { OcicryptError } from './ocicrypt-error.ts'

const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** Standard base64 with padding, as Go's `encoding/json` writes `[]byte`. */
export function encodeBase64Std(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

/**
 * Strict decoder for Go's `base64.StdEncoding` (padding required, no whitespace, no URL alphabet):
 * Node's own decoder silently skips bad characters, which would turn garbage into key bytes.
 */
export function decodeBase64Std(text: string, what: string): Buffer {
  if (!STD_BASE64.test(text)) {
    throw new OcicryptError('MALFORMED_ANNOTATION', `${what} is not padded standard base64`)
  }
  return Buffer.from(text, 'base64')
}

/** JSON string literal as Go's `encoding/json` escapes it (`<`, `>`, `&`, U+2028, U+2029 as \u escapes). */
export function goJsonString(value: string): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}
