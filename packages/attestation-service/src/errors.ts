import { CocoError } from '@carapace/protocol'

/**
 * Attestation-service failures other than evidence verification (`VerificationError`):
 * - `INVALID_REQUEST`: a request field is missing or malformed (runtime data, init data, ids).
 * - `POLICY_INVALID`: a policy text does not compile, or its id is not a valid policy id.
 * - `POLICY_NOT_FOUND`: no policy is stored under the id.
 * - `POLICY_EVALUATION`: the policy failed at run time or returned trust claims of the wrong shape.
 * - `SIGNER_INVALID`: the token signing key is not a P-256 EC private key.
 * - `STORAGE`: the policy storage failed.
 */
export type AttestationServiceErrorCode =
  'INVALID_REQUEST' | 'POLICY_INVALID' | 'POLICY_NOT_FOUND' | 'POLICY_EVALUATION' | 'SIGNER_INVALID' | 'STORAGE'

export class AttestationServiceError extends CocoError<AttestationServiceErrorCode> {}
