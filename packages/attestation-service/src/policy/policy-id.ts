import { AttestationServiceError } from '../errors.ts'

/** Storage namespace of attestation-service policies (same as upstream); key `<id>.rego`. */
export const POLICY_NAMESPACE = 'attestation_service_policy'

const POLICY_ID = /^[A-Za-z0-9_-]{1,128}$/

/** A policy id names one stored file: letters, digits, `_` and `-`. */
export function policyKey(id: string): string {
  if (!POLICY_ID.test(id)) {
    throw new AttestationServiceError('POLICY_INVALID', `invalid policy id ${JSON.stringify(id)}`)
  }
  return `${id}.rego`
}
