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
export { buildKbs, KBS_BUILD_NAME, type BuiltKbs } from './server/build-kbs.ts'
export { startKbsServer } from './server/start-kbs-server.ts'
export { DEFAULT_DATA_DIR, type KbsServerOptions, type RunningKbs } from './server/kbs-server-options.ts'
export { KbsServerError, type KbsServerErrorCode } from './server/server-error.ts'
export { createJsonLinesLogger } from './server/json-lines-logger.ts'
export {
  createSelfSignedCertificate,
  type SelfSignedCertificate,
  type SelfSignedCertificateOptions,
} from './server/self-signed-certificate.ts'
export { sweepExpiredSessions } from './server/session-sweeper.ts'
