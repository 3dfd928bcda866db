import { RvpsError } from '../errors.ts'
import type { JsonValue } from '../json-value.ts'
import type { ExtractedReferenceValue } from '../reference-value.ts'
import { decodeStandardBase64, decodeUtf8 } from '../standard-base64.ts'

/**
 * The `sample` provenance: base64 of a JSON object; each member is one reference value, stored
 * as given. No signature: only for RVPS endpoints that untrusted parties cannot reach.
 */
export function extractSample(payload: string): ExtractedReferenceValue[] {
  const text = decodeUtf8(decodeStandardBase64(payload, 'sample payload'), 'sample payload')
  let parsed: unknown
  try {
    parsed = JSON.parse(text) as unknown
  } catch (cause) {
    throw new RvpsError('INVALID_PAYLOAD', 'sample payload is not valid JSON', { cause })
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RvpsError('INVALID_PAYLOAD', 'sample payload must be a JSON object of name → value')
  }
  return Object.entries(parsed as Record<string, JsonValue>).map(([name, value]) => ({ name, value }))
}
