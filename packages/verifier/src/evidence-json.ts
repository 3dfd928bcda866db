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
  // Text that re-encodes to itself is canonical padded base64, which the pattern accepts; two native
  // passes cost far less than the pattern on evidence of kilobytes. Anything else gets the pattern.
  if (bytes.toString('base64') !== text && !STD_BASE64.test(text)) {
    throw new VerificationError('EVIDENCE_MALFORMED', `${tee} evidence.${field} is not standard base64`)
  }
  // Large inputs decode into a buffer of their own: a plain view of it spares a copy; small ones
  // share Buffer's pool and are copied, so the result never exposes other bytes through `.buffer`.
  const own = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length
  return own ? new Uint8Array(bytes.buffer, 0, bytes.length) : new Uint8Array(bytes)
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
