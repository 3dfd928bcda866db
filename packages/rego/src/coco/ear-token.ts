import { fromJS } from '../value/json.ts'
import { tdxClaims } from './tee-claims.ts'
import type { Value } from '../value/value.ts'

/**
 * Decoded claims of an EAR attestation token as the Trustee AS issues it and the KBS passes to
 * the resource policy as `input` (payload of the JWT: `eat_profile`, `iat`, `ear.verifier-id`,
 * `submods.<tee_class><n>` with `ear.status`, `ear.trustworthiness-vector`,
 * `ear.appraisal-policy-id`, `ear.veraison.annotated-evidence` = the flattened TCB claims, see
 * tee-claims.ts).
 */

export type EarStatus = 'affirming' | 'warning' | 'contraindicated' | 'none'

export interface TrustVector {
  readonly 'instance-identity': number
  readonly configuration: number
  readonly executables: number
  readonly 'file-system': number
  readonly hardware: number
  readonly 'runtime-opaque': number
  readonly 'storage-opaque': number
  readonly 'sourced-data': number
}

/** A vector that the default CPU policy produces for a TEE whose reference values all match. */
export const AFFIRMING_VECTOR: TrustVector = {
  'instance-identity': 0,
  configuration: 2,
  executables: 3,
  'file-system': 0,
  hardware: 2,
  'runtime-opaque': 0,
  'storage-opaque': 0,
  'sourced-data': 0,
}

export interface EarSubmod {
  readonly status: EarStatus
  readonly vector?: TrustVector
  /** The annotated evidence: `{ <tee>: {...claims}, report_data, runtime_data_claims, ... }`. */
  readonly evidence: Record<string, unknown>
  readonly policyId?: string
}

function submodClaims(s: EarSubmod): Record<string, unknown> {
  return {
    'ear.status': s.status,
    'ear.trustworthiness-vector': { ...(s.vector ?? AFFIRMING_VECTOR) },
    'ear.appraisal-policy-id': s.policyId ?? 'default_cpu',
    'ear.veraison.annotated-evidence': s.evidence,
  }
}

/** EAR token claims with the given submods (e.g. `{ cpu0: {...}, gpu0: {...} }`). */
export function earTokenClaims(submods: Readonly<Record<string, EarSubmod>>, iat = 1735689600): Value {
  const sub: Record<string, unknown> = {}
  for (const [name, s] of Object.entries(submods)) sub[name] = submodClaims(s)
  return fromJS({
    eat_profile: 'tag:github.com,2024:confidential-containers/Trustee',
    iat,
    exp: iat + 300,
    iss: 'CoCo-Attestation-Service',
    'ear.verifier-id': { developer: 'https://confidentialcontainers.org', build: 'attestation-service 0.1.0' },
    submods: sub,
  })
}

/** The typical token: one TDX `cpu0` submod, affirming. */
export function tdxEarToken(status: EarStatus = 'affirming'): Value {
  return earTokenClaims({ cpu0: { status, evidence: tdxClaims() } })
}

/** KBS policy data for a resource request `resource/<repo>/<type>/<tag>`. */
export function resourceRequestData(
  path: readonly string[],
  plugin = 'resource',
  query: Record<string, string> = {},
): Value {
  return fromJS({ plugin, 'resource-path': [...path], query })
}
