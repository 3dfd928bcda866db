import { expectObject, expectString } from './wire-fields.ts'

/** KBS error body (kbs-types `ErrorInformation`): `{"type": <problem URI>, "detail": <text>}`. */
export interface ErrorInformation {
  type: string
  detail: string
}

export const KBS_ERROR_TYPE_BASE = 'https://github.com/confidential-containers/kbs/errors/'

/** Variant names of Trustee's `kbs/src/error.rs` `Error` enum, which end the `type` URI. */
export const KBS_ERROR_VARIANTS = [
  'AdminAuthInitialization',
  'AdminAuthAccess',
  'AttestationError',
  'HTTPFailed',
  'HTTPSFailed',
  'InvalidRequestPath',
  'JweError',
  'PluginManagerInitialization',
  'PluginNotFound',
  'PluginInternalError',
  'PolicyDeny',
  'ParsePolicyError',
  'PolicyEngineError',
  'RvpsError',
  'SerdeError',
  'StorageBackendInitialization',
  'TokenNotFound',
  'TokenVerifierError',
  'PrometheusError',
] as const

export type KbsErrorVariant = (typeof KBS_ERROR_VARIANTS)[number]

const VARIANT_SET: ReadonlySet<string> = new Set(KBS_ERROR_VARIANTS)

export function kbsErrorInformation(variant: KbsErrorVariant, detail: string): ErrorInformation {
  return { type: `${KBS_ERROR_TYPE_BASE}${variant}`, detail }
}

/** The variant named by a `type` URI, or `undefined` for any other problem type. */
export function kbsErrorVariant(info: ErrorInformation): KbsErrorVariant | undefined {
  if (!info.type.startsWith(KBS_ERROR_TYPE_BASE)) return undefined
  const name = info.type.slice(KBS_ERROR_TYPE_BASE.length)
  return VARIANT_SET.has(name) ? (name as KbsErrorVariant) : undefined
}

/** Trustee answers 404 for a bad path or unknown plugin and 401 for every other error. */
export function kbsErrorStatus(variant: KbsErrorVariant): 401 | 404 {
  return variant === 'InvalidRequestPath' || variant === 'PluginNotFound' ? 404 : 401
}

/** `type` may be any string (serde `String`); only its presence and type are checked. */
export function parseErrorInformation(input: unknown): ErrorInformation {
  const body = expectObject(input, 'ErrorInformation')
  return {
    type: expectString(body['type'], 'ErrorInformation.type'),
    detail: expectString(body['detail'], 'ErrorInformation.detail'),
  }
}

export function errorInformationToWire(info: ErrorInformation): ErrorInformation {
  return { type: info.type, detail: info.detail }
}
