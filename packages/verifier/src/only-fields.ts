import type { JsonObject } from '@carapace/protocol'
import { VerificationError } from './verifier.ts'

/**
 * Fails (`EVIDENCE_MALFORMED`) on a field of `object` outside `allowed`: nothing signs evidence
 * JSON, so an added field would be accepted evidence that differs from what the attester sent.
 */
export function onlyFields(object: JsonObject, allowed: ReadonlySet<string>, what: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.has(key)) throw new VerificationError('EVIDENCE_MALFORMED', `${what}: unknown field ${key}`)
  }
}
