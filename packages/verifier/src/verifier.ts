import { CocoError, type JsonObject } from '@carapace/protocol'

/** The class of a verified piece of evidence; it selects the policy `<id>_<class>` and the submod name. */
export type TeeClass = 'cpu' | 'gpu' | 'switch' | 'dcu' | 'ppcie' | 'nvidia-dpu'

/** What the evidence must be bound to: the runtime-data digest and, when sent, the init-data digest. */
export interface ExpectedBinding {
  readonly reportData: Uint8Array
  readonly initDataDigest?: Uint8Array
}

/** One set of TCB claims a verifier extracted. `report_data` / `init_data` are lifted out later. */
export interface VerifiedClaims {
  readonly claims: JsonObject
  readonly teeClass: TeeClass
}

/** Checks evidence of one TEE type and returns its claims; rejects with `VerificationError`. */
export interface Verifier {
  verify(evidence: unknown, expected: ExpectedBinding): Promise<VerifiedClaims[]>
}

export type VerificationErrorCode =
  | 'EVIDENCE_MALFORMED'
  | 'UNSUPPORTED_TEE'
  | 'SIGNATURE_INVALID'
  | 'CERT_CHAIN_INVALID'
  | 'TCB_OUT_OF_DATE'
  | 'REPORT_DATA_MISMATCH'
  | 'INIT_DATA_MISMATCH'
  | 'COLLATERAL_UNAVAILABLE'
  | 'DEBUG_ENABLED'

/** Evidence that could not be verified; `code` says why. */
export class VerificationError extends CocoError<VerificationErrorCode> {}
