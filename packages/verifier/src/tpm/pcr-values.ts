import type { JsonObject } from '@carapace/protocol'
import { VerificationError } from '../verifier.ts'

const PCR_HEX = /^[0-9a-fA-F]{64}$/
const MAX_PCRS = 64

/** `pcrs`: a JSON array of SHA-256 PCR values as hex (either case), as the attesters send them. */
export function pcrValuesFromHex(object: JsonObject, field: string, tee: string): Uint8Array[] {
  const list = object[field]
  if (!Array.isArray(list) || list.length > MAX_PCRS) {
    throw new VerificationError('EVIDENCE_MALFORMED', `${tee} evidence: ${field} is not a list of PCR values`)
  }
  return list.map((value, i) => {
    if (typeof value !== 'string' || !PCR_HEX.test(value)) {
      throw new VerificationError(
        'EVIDENCE_MALFORMED',
        `${tee} evidence: ${field}[${String(i)}] is not 32 bytes of hex`,
      )
    }
    return new Uint8Array(Buffer.from(value, 'hex'))
  })
}

/** Claims `pcr00`…`pcrNN` (lowercase hex), keyed by PCR index. */
export function pcrClaims(pcrs: ReadonlyMap<number, Uint8Array>): JsonObject {
  const claims: JsonObject = {}
  for (const [index, value] of [...pcrs].sort(([a], [b]) => a - b)) {
    claims[`pcr${String(index).padStart(2, '0')}`] = Buffer.from(value).toString('hex')
  }
  return claims
}
