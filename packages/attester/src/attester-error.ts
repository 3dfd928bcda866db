import { CocoError } from '@carapace/protocol'

export type AttesterErrorCode =
  /** The report data is longer than the TEE can carry. */
  | 'REPORT_DATA_TOO_LONG'
  /** No attester for the requested TEE. */
  | 'UNSUPPORTED_TEE'
  /** The TEE interface failed to produce evidence. */
  | 'EVIDENCE_FAILED'

export class AttesterError extends CocoError<AttesterErrorCode> {}
