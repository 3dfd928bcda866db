export {}
export * from './config/index.ts'
export { createKbsApp, KBS_PREFIX, SESSION_COOKIE, type KbsApp, type KbsAppDeps } from './http/app.ts'
export { KbsError, KBS_ERROR_TABLE, kbsErrorResponse, type KbsErrorCode } from './http/errors.ts'
export { createMetricsRegistry, type MetricsRegistry } from './http/metrics.ts'
export type { KbsLogger, LogLevel } from './http/kbs-logger.ts'
export { createAdminAuthorizer, type AdminAuthorizer, type AdminRequest } from './admin/admin-authorizer.ts'
export type { AttestationAdmin } from './admin/attestation-admin.ts'
export type {
  AttestationEvaluator,
  AttestationEvaluation,
  EvidenceToEvaluate,
} from './session/attestation-evaluator.ts'
export type { TokenVerifier } from './token/token-verifier.ts'
export { installDefaultResourcePolicy } from './policy/resource-policy.ts'
export { DEFAULT_RESOURCE_POLICY } from './policy/default-resource-policy.ts'
export { createEarVerifier, type EarVerifierOptions } from './token/ear-verifier.ts'
