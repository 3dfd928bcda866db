import { CocoError, kbsErrorInformation, type ErrorInformation, type KbsErrorVariant } from '@carapace/protocol'

/**
 * Domain error codes of the KBS server. Each maps to one upstream `kbs/src/error.rs` variant and
 * status in KBS_ERROR_TABLE; domain code throws `KbsError`, only the HTTP edge reads the table.
 */
export type KbsErrorCode =
  | 'INVALID_REQUEST_PATH'
  | 'PLUGIN_NOT_FOUND'
  | 'PLUGIN_INTERNAL'
  | 'RCAR_AUTH_FAILED'
  | 'RCAR_ATTEST_FAILED'
  | 'ATTESTATION_POLICY'
  | 'ADMIN_AUTH_ACCESS'
  | 'ADMIN_AUTH_INITIALIZATION'
  | 'JWE_ERROR'
  | 'POLICY_DENY'
  | 'PARSE_POLICY'
  | 'POLICY_ENGINE'
  | 'RVPS_ERROR'
  | 'SERDE_ERROR'
  | 'TOKEN_NOT_FOUND'
  | 'TOKEN_VERIFIER'
  | 'PAYLOAD_TOO_LARGE'
  | 'STORAGE'

export class KbsError extends CocoError<KbsErrorCode> {}

interface ErrorMapping {
  readonly variant: KbsErrorVariant
  readonly status: 401 | 404 | 413
}

/**
 * The one mapping from domain codes to the upstream wire error. Trustee answers 404 only for
 * InvalidRequestPath/PluginNotFound, 401 for everything else. The one deliberate exception is an
 * oversized body: actix's payload extractor answers 413 before any KBS code runs, so we keep 413
 * (clients do not retry it as they would a 401) but give it the KBS body shape.
 */
export const KBS_ERROR_TABLE: Readonly<Record<KbsErrorCode, ErrorMapping>> = {
  INVALID_REQUEST_PATH: { variant: 'InvalidRequestPath', status: 404 },
  PLUGIN_NOT_FOUND: { variant: 'PluginNotFound', status: 404 },
  PLUGIN_INTERNAL: { variant: 'PluginInternalError', status: 401 },
  RCAR_AUTH_FAILED: { variant: 'AttestationError', status: 401 },
  RCAR_ATTEST_FAILED: { variant: 'AttestationError', status: 401 },
  ATTESTATION_POLICY: { variant: 'AttestationError', status: 401 },
  ADMIN_AUTH_ACCESS: { variant: 'AdminAuthAccess', status: 401 },
  ADMIN_AUTH_INITIALIZATION: { variant: 'AdminAuthInitialization', status: 401 },
  JWE_ERROR: { variant: 'JweError', status: 401 },
  POLICY_DENY: { variant: 'PolicyDeny', status: 401 },
  PARSE_POLICY: { variant: 'ParsePolicyError', status: 401 },
  POLICY_ENGINE: { variant: 'PolicyEngineError', status: 401 },
  RVPS_ERROR: { variant: 'RvpsError', status: 401 },
  SERDE_ERROR: { variant: 'SerdeError', status: 401 },
  TOKEN_NOT_FOUND: { variant: 'TokenNotFound', status: 401 },
  TOKEN_VERIFIER: { variant: 'TokenVerifierError', status: 401 },
  PAYLOAD_TOO_LARGE: { variant: 'HTTPFailed', status: 413 },
  STORAGE: { variant: 'PluginInternalError', status: 401 },
}

export interface KbsErrorResponse {
  readonly status: 401 | 404 | 413
  readonly body: ErrorInformation
}

/** The status and `{"type", "detail"}` body for any thrown value; unknown errors stay vague. */
export function kbsErrorResponse(error: unknown): KbsErrorResponse {
  if (error instanceof KbsError) {
    const { variant, status } = KBS_ERROR_TABLE[error.code]
    return { status, body: kbsErrorInformation(variant, error.message) }
  }
  return { status: 401, body: kbsErrorInformation('PluginInternalError', 'internal error') }
}
