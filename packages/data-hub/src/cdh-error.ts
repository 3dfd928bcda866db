import { CocoError } from '@carapace/protocol'

export type CdhErrorCode =
  /** A `startCdhServer` option is unusable (KBS URL, listen address…). */
  | 'INVALID_OPTION'
  /** A non-loopback listen address without the explicit opt-in. */
  | 'NON_LOOPBACK_LISTEN'
  /** `/cdh/resource/…` is not `<repository>/<type>/<tag>` of safe segments. */
  | 'INVALID_RESOURCE_PATH'
  /** `/aa/token?token_type=` names a token this CDH does not issue. */
  | 'UNSUPPORTED_TOKEN_TYPE'
  /** `runtime_data` / `encoding` of `/aa/evidence` cannot be decoded. */
  | 'INVALID_RUNTIME_DATA'
  /** The KBS refused or failed the request (attestation, token, resource). */
  | 'KBS_FAILED'
  /** The attester could not produce evidence. */
  | 'ATTESTER_FAILED'

export interface CdhErrorDetails {
  cause?: unknown
  /** HTTP status the KBS answered, when it answered. */
  kbsStatus?: number
  /** The KBS's `ErrorInformation.type`, when it sent one. */
  kbsErrorType?: string
}

export class CdhError extends CocoError<CdhErrorCode> {
  readonly kbsStatus: number | undefined
  readonly kbsErrorType: string | undefined
  constructor(code: CdhErrorCode, message: string, details: CdhErrorDetails = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause })
    this.kbsStatus = details.kbsStatus
    this.kbsErrorType = details.kbsErrorType
  }
}
