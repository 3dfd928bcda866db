import { isJsonObject, type JsonObject } from '@carapace/protocol'
import { VerificationError } from './verifier.ts'

/**
 * Evidence as a JSON object: accepted already parsed, as JSON text, or as the UTF-8 bytes of JSON
 * text (upstream verifiers receive bytes). Anything else is `EVIDENCE_MALFORMED`.
 */
export function evidenceObject(evidence: unknown, tee: string): JsonObject {
  let parsed: unknown = evidence
  if (evidence instanceof Uint8Array) parsed = new TextDecoder('utf-8', { fatal: false }).decode(evidence)
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed)
    } catch (cause) {
      throw new VerificationError('EVIDENCE_MALFORMED', `${tee} evidence is not JSON`, { cause })
    }
  }
  if (!isJsonObject(parsed)) throw new VerificationError('EVIDENCE_MALFORMED', `${tee} evidence is not a JSON object`)
  return parsed
}

// Canonical: the bits after the last byte are zero, so one byte string has one accepted text.
const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)?$/

/** A required string field holding standard, padded base64. */
export function base64Field(object: JsonObject, field: string, tee: string): Uint8Array {
  const text = stringField(object, field, tee)
  const bytes = Buffer.from(text, 'base64')
  // The length check below settles canonical text without building a re-encoded string (the pattern
  // costs far more on evidence of kilobytes); anything it does not settle gets the pattern.
  if (!decodedCanonically(text, bytes.length) && !STD_BASE64.test(text)) {
    throw new VerificationError('EVIDENCE_MALFORMED', `${tee} evidence.${field} is not standard base64`)
  }
  // Large inputs decode into a buffer of their own: a plain view of it spares a copy; small ones
  // share Buffer's pool and are copied, so the result never exposes other bytes through `.buffer`.
  const own = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length
  return own ? new Uint8Array(bytes.buffer, 0, bytes.length) : new Uint8Array(bytes)
}

const STD_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/**
 * True only for canonical padded standard base64 that decoded to `decodedLength` bytes. Node's decoder
 * skips or stops at anything outside its alphabet, so exactly 3k − padding bytes from 4k characters
 * means every character before the padding was decoded; its alphabet also takes `-` and `_`, refused
 * here; the bits after the last byte must be zero. False means "not settled", never "invalid".
 */
export function decodedCanonically(text: string, decodedLength: number): boolean {
  const length = text.length
  if (length % 4 !== 0) return false
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0
  if (decodedLength !== (length / 4) * 3 - padding) return false
  if (text.includes('-') || text.includes('_')) return false
  if (padding === 0) return true
  const last = STD_ALPHABET.indexOf(text.charAt(length - padding - 1))
  return last >= 0 && (last & (padding === 1 ? 3 : 15)) === 0
}

export function stringField(object: JsonObject, field: string, tee: string): string {
  const value = object[field]
  if (typeof value !== 'string')
    throw new VerificationError('EVIDENCE_MALFORMED', `${tee} evidence.${field}: expected a string`)
  return value
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b)
}
