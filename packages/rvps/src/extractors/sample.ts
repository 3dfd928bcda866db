import { RvpsError } from '../errors.ts'
import type { JsonValue } from '../json-value.ts'
import type { ExtractedReferenceValue } from '../reference-value.ts'
import { decodeStandardBase64, decodeUtf8 } from '../standard-base64.ts'

const STRING_OR_NUMBER = /"(?:[^"\\]|\\.)*"|-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/g

/** The first integer literal of valid JSON text that a JS number cannot hold exactly. */
function unsafeInteger(text: string): string | undefined {
  for (const [token] of text.matchAll(STRING_OR_NUMBER)) {
    if (token.startsWith('"') || /[.eE]/.test(token)) continue
    const magnitude = BigInt(token.replace('-', ''))
    if (magnitude > BigInt(Number.MAX_SAFE_INTEGER)) return token
  }
  return undefined
}

/**
 * The `sample` provenance: base64 of a JSON object; each member is one reference value, stored
 * as given. No signature: only for RVPS endpoints that untrusted parties cannot reach.
 * Integers beyond ±(2^53 − 1) are refused: upstream keeps 64-bit integers exact, a JS number
 * would silently change them.
 */
export function extractSample(payload: string): ExtractedReferenceValue[] {
  const text = decodeUtf8(decodeStandardBase64(payload, 'sample payload'), 'sample payload')
  let parsed: unknown
  try {
    parsed = JSON.parse(text) as unknown
  } catch (cause) {
    throw new RvpsError('INVALID_PAYLOAD', 'sample payload is not valid JSON', { cause })
  }
  const unsafe = unsafeInteger(text)
  if (unsafe !== undefined) {
    throw new RvpsError('INVALID_PAYLOAD', `sample payload integer ${unsafe} is beyond what a JS number holds exactly`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RvpsError('INVALID_PAYLOAD', 'sample payload must be a JSON object of name → value')
  }
  return Object.entries(parsed as Record<string, JsonValue>).map(([name, value]) => ({ name, value }))
}
