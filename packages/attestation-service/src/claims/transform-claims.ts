import type { JsonObject, JsonValue, Tee } from '@carapace/protocol'

export interface TransformClaimsInput {
  readonly tee: Tee
  /** Claims from the verifier, `report_data` / `init_data` included. */
  readonly claims: JsonObject
  /** The structured runtime data (null for raw runtime data). */
  readonly runtimeDataClaims: JsonValue
  /** Parsed init-data `data` table (null when only a digest, or nothing, was sent). */
  readonly initDataClaims: JsonValue
  /** `verbose_token`: when false, `runtime_data_claims.additional-evidence` is dropped. */
  readonly verbose: boolean
}

/**
 * The policy input and `ear.veraison.annotated-evidence` (Trustee `transform_claims`): the
 * verifier's claims under the TEE name without `report_data`/`init_data`, which move to the top
 * level next to `runtime_data_claims` / `init_data_claims` — each pair only when the verifier
 * emitted the field.
 */
export function transformClaims(input: TransformClaimsInput): JsonObject {
  const tcb: JsonObject = Object.fromEntries(
    Object.entries(input.claims).filter(([key]) => key !== 'report_data' && key !== 'init_data'),
  )
  const result: JsonObject = Object.fromEntries([[input.tee, tcb]])
  const reportData = input.claims['report_data']
  if (reportData !== undefined) {
    result['report_data'] = reportData
    result['runtime_data_claims'] = input.verbose
      ? input.runtimeDataClaims
      : withoutAdditionalEvidence(input.runtimeDataClaims)
  }
  const initData = input.claims['init_data']
  if (initData !== undefined) {
    result['init_data'] = initData
    result['init_data_claims'] = input.initDataClaims
  }
  // Key order of upstream's BTreeMap (code-unit order; all keys are ASCII).
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

function withoutAdditionalEvidence(value: JsonValue): JsonValue {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'additional-evidence'))
}
