import { CocoError, type JsonObject } from '@carapace/protocol'
import type { CollateralSource } from './collateral/collateral-source.ts'

/** The class of a verified piece of evidence; it selects the policy `<id>_<class>` and the submod name. */
export type TeeClass = 'cpu' | 'gpu' | 'switch' | 'dcu' | 'ppcie' | 'nvidia-dpu'

/**
 * What the evidence must be bound to: the runtime-data digest and, when sent, the init-data digest.
 * An absent `reportData` is upstream's `ReportData::NotProvided`: the binding is not checked (the
 * KBS always sends it; `carapace evidence verify` without `--report-data` does not).
 */
export interface ExpectedBinding {
  readonly reportData?: Uint8Array
  readonly initDataDigest?: Uint8Array
}

/** One set of TCB claims a verifier extracted. `report_data` / `init_data` are lifted out later. */
export interface VerifiedClaims {
  readonly claims: JsonObject
  readonly teeClass: TeeClass
}

/** What a verification may use besides the evidence. */
export interface VerificationContext {
  /** The time certificates, CRLs and TCB levels are judged at (default: now); `--at` for old evidence. */
  readonly at?: Date
  /** Vendor collateral (default: none — the evidence and the pinned roots only). */
  readonly collateral?: CollateralSource
}

/** Checks evidence of one TEE type and returns its claims; rejects with `VerificationError`. */
export interface Verifier {
  verify(evidence: unknown, expected: ExpectedBinding, context?: VerificationContext): Promise<VerifiedClaims[]>
}

export type VerificationErrorCode =
  /** Truncated, garbage, or not the shape the TEE's evidence has. */
  | 'EVIDENCE_MALFORMED'
  /**
   * A report/quote format version this verifier does not accept (e.g. SNP report v2, DCAP v3 for
   * TDX, an NVIDIA GPU architecture other than Hopper in local mode, DPU evidence version ≠ 1).
   */
  | 'UNSUPPORTED_VERSION'
  | 'UNSUPPORTED_TEE'
  /** The report/quote signature (or a signature inside it, e.g. the QE report) does not verify. */
  | 'SIGNATURE_INVALID'
  /**
   * A certificate chain is broken: a signature in it fails, it is incomplete or malformed, or it is
   * not the chain of what signed the evidence (NVIDIA: the report's FWID is not the leaf's).
   */
  | 'CERT_CHAIN_INVALID'
  /** The chain ends at a root that is not the vendor's pinned root. */
  | 'CERT_UNTRUSTED_ROOT'
  /** A certificate (or CRL, TCB Info, QE Identity) is outside its validity at the verification time. */
  | 'CERT_EXPIRED'
  /** A certificate in the chain is on its issuer's CRL. */
  | 'CERT_REVOKED'
  /** The TCB is not acceptable (revoked, out of date beyond policy, reported TCB does not match the certificate). */
  | 'TCB_OUT_OF_DATE'
  /** The evidence contradicts the verifier's fixed policy (SNP VMPL != 0, TPM PCR digest, …). */
  | 'POLICY_VIOLATION'
  /** An event log does not replay to the measured registers. */
  | 'MEASUREMENT_MISMATCH'
  | 'REPORT_DATA_MISMATCH'
  | 'INIT_DATA_MISMATCH'
  /** Collateral needed for the check is not available (offline and not supplied). */
  | 'COLLATERAL_UNAVAILABLE'
  /** Collateral is there but unusable: bad signature, wrong issuer, malformed. */
  | 'COLLATERAL_INVALID'

/** Evidence that could not be verified; `code` says why. */
export class VerificationError extends CocoError<VerificationErrorCode> {}
