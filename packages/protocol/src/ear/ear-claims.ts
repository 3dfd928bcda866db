import type { JsonObject, JsonValue } from '../jcs/json-value.ts'
import { expectInteger, expectObject, expectString, malformed } from '../rcar/wire-fields.ts'
import { EAR_STATUSES, isAr4siClaim, type EarStatus, type TrustworthinessVector } from './trust-tier.ts'

/** `eat_profile` of tokens issued by Trustee's attestation service. */
export const TRUSTEE_EAR_PROFILE = 'tag:github.com,2024:confidential-containers/Trustee'

/** One `submods.<name>` entry (`cpu0`, `gpu0`, …): an EAR appraisal. */
export interface EarAppraisal {
  status: EarStatus
  trustworthinessVector: TrustworthinessVector
  appraisalPolicyId: string | undefined
  /** `ear.veraison.annotated-evidence`: Trustee's flattened claims (`<tee>`, `runtime_data_claims`, …). */
  annotatedEvidence: JsonObject | undefined
  /** `ear.trustee.identifiers` (EAR extension −18), e.g. `{"validated":{"container_images":[…]}}`. */
  trusteeIdentifiers: JsonValue | undefined
}

/** The decoded payload of an EAR attestation token. */
export interface EarClaims {
  eatProfile: string
  iat: number
  exp: number | undefined
  iss: string | undefined
  verifierId: { developer: string; build: string }
  submods: Record<string, EarAppraisal>
  /** The whole payload, unknown members included: the resource policy's `input`. */
  payload: JsonObject
}

/**
 * Validates a decoded (and already signature-checked) EAR payload. `exp`/`iss` are optional here
 * because the EAR profile does not require them; Trustee always sets both. `ear.status` is taken
 * as written (names case-insensitively, or the crate's integer forms 0/2/32/96); compare it with
 * `statusOf` if the issuer is not trusted to derive it. Trust-vector values must be −128..127 and
 * name one of the eight AR4SI claims.
 */
export function parseEarClaims(input: unknown): EarClaims {
  const payload = expectObject(input, 'EAR')
  const exp = payload['exp']
  const iss = payload['iss']
  const vid = expectObject(payload['ear.verifier-id'], 'EAR.ear.verifier-id')
  const rawSubmods = expectObject(payload['submods'], 'EAR.submods')
  const submods: Record<string, EarAppraisal> = Object.fromEntries(
    Object.entries(rawSubmods).map(([name, value]) => [name, parseAppraisal(value, `EAR.submods.${name}`)]),
  )
  return {
    eatProfile: expectString(payload['eat_profile'], 'EAR.eat_profile'),
    iat: expectInteger(payload['iat'], 'EAR.iat'),
    exp: exp === undefined ? undefined : expectInteger(exp, 'EAR.exp'),
    iss: iss === undefined ? undefined : expectString(iss, 'EAR.iss'),
    verifierId: {
      developer: expectString(vid['developer'], 'EAR.ear.verifier-id.developer'),
      build: expectString(vid['build'], 'EAR.ear.verifier-id.build'),
    },
    submods,
    payload,
  }
}

function parseAppraisal(input: unknown, field: string): EarAppraisal {
  const appraisal = expectObject(input, field)
  const policyId = appraisal['ear.appraisal-policy-id']
  const evidence = appraisal['ear.veraison.annotated-evidence']
  const rawVector = appraisal['ear.trustworthiness-vector']
  return {
    status: parseStatus(appraisal['ear.status'], `${field}.ear.status`),
    trustworthinessVector: rawVector === undefined ? {} : parseVector(rawVector, `${field}.ear.trustworthiness-vector`),
    appraisalPolicyId: policyId === undefined ? undefined : expectString(policyId, `${field}.ear.appraisal-policy-id`),
    annotatedEvidence:
      evidence === undefined ? undefined : expectObject(evidence, `${field}.ear.veraison.annotated-evidence`),
    trusteeIdentifiers: appraisal['ear.trustee.identifiers'],
  }
}

const STATUS_BY_NUMBER: ReadonlyMap<number, EarStatus> = new Map([
  [0, 'none'],
  [2, 'affirming'],
  [32, 'warning'],
  [96, 'contraindicated'],
])

function parseStatus(value: unknown, field: string): EarStatus {
  if (typeof value === 'number') {
    const status = STATUS_BY_NUMBER.get(value)
    if (status === undefined) throw malformed(field, `unknown status value ${String(value)}`)
    return status
  }
  const name = expectString(value, field).toLowerCase()
  const status = EAR_STATUSES.find((s) => s === name)
  if (status === undefined) throw malformed(field, `unknown status ${JSON.stringify(value)}`)
  return status
}

function parseVector(input: unknown, field: string): TrustworthinessVector {
  const vector: TrustworthinessVector = {}
  for (const [name, value] of Object.entries(expectObject(input, field))) {
    if (!isAr4siClaim(name)) throw malformed(`${field}.${name}`, 'not an AR4SI trustworthiness claim')
    const claim = expectInteger(value, `${field}.${name}`)
    if (claim < -128 || claim > 127) throw malformed(`${field}.${name}`, `${String(claim)} is outside -128..127`)
    vector[name] = claim
  }
  return vector
}
