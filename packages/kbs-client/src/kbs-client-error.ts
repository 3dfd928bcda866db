import { CocoError, type ErrorInformation } from '@carapace/protocol'

export type KbsClientErrorCode =
  /** The KBS kept answering 401 (3 attempts for a resource), or refused an admin token. */
  | 'UNAUTHORIZED'
  /** 404: no such resource or plugin. */
  | 'RESOURCE_NOT_FOUND'
  /** `/auth` or `/attest` failed: the KBS/AS did not accept the evidence. */
  | 'ATTESTATION_FAILED'
  /** Any other non-success status from the KBS. */
  | 'KBS_ERROR'
  /** A response that does not follow the KBS protocol, or a JWE that does not decrypt. */
  | 'PROTOCOL'
  /** The request never got a response (connection refused, DNS, TLS…). */
  | 'NETWORK'
  /** A caller argument is unusable (e.g. a resource path that is not repo/type/tag). */
  | 'INVALID_ARGUMENT'

export interface KbsClientErrorDetails {
  cause?: unknown
  /** HTTP status of the failing response, when there was one. */
  status?: number
  /** The KBS's `ErrorInformation` body, when it sent one. */
  info?: ErrorInformation
}

export class KbsClientError extends CocoError<KbsClientErrorCode> {
  readonly status: number | undefined
  readonly info: ErrorInformation | undefined
  constructor(code: KbsClientErrorCode, message: string, details: KbsClientErrorDetails = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause })
    this.status = details.status
    this.info = details.info
  }
}
