import { CocoError } from '@carapace/protocol'

export type AttesterErrorCode =
  /** The report data is longer than the TEE can carry. */
  | 'REPORT_DATA_TOO_LONG'
  /** No attester for the requested TEE. */
  | 'UNSUPPORTED_TEE'
  /** The TEE interface failed to produce evidence. */
  | 'EVIDENCE_FAILED'
  /** The TEE interface is absent or unreachable (no device, tools not installed, TPM not answering). */
  | 'TEE_UNAVAILABLE'
  /** The init-data digest cannot be bound (e.g. a TPM binds exactly 32 bytes). */
  | 'INIT_DATA_INVALID'
  /** An attester option is not one the attester knows (e.g. a TPM AK algorithm other than rsa or ecc). */
  | 'OPTION_INVALID'

export class AttesterError extends CocoError<AttesterErrorCode> {}
