import { KbsError } from '../http/errors.ts'

/** Admin operations the KBS forwards to its attestation service and RVPS. */
export interface AttestationAdmin {
  setPolicy(policyId: string, policyText: string): Promise<void>
  registerReferenceValue(message: unknown): Promise<void>
  /** The stored value for an id, or undefined. */
  queryReferenceValue(id: string): Promise<unknown>
  /** Every value `queryReferenceValue` would answer now, by id (expired ones left out). */
  listReferenceValues(): Promise<Record<string, unknown>>
}

const BASE64URL_NO_PAD = /^[A-Za-z0-9_-]*$/

/** POST /attestation-policy `{"type", "policy_id", "policy": "<base64url, no padding>"}` (`type` ignored). */
export async function setAttestationPolicy(admin: AttestationAdmin, body: unknown): Promise<void> {
  const fields =
    typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {}
  const policyId = fields['policy_id']
  const policy = fields['policy']
  if (typeof policyId !== 'string' || typeof policy !== 'string') {
    throw new KbsError('ATTESTATION_POLICY', 'Set Attestation Policy failed: body needs string policy_id and policy')
  }
  if (!BASE64URL_NO_PAD.test(policy) || policy.length % 4 === 1) {
    throw new KbsError('ATTESTATION_POLICY', 'Set Attestation Policy failed: policy is not base64url without padding')
  }
  try {
    await admin.setPolicy(policyId, Buffer.from(policy, 'base64url').toString('utf8'))
  } catch (cause) {
    if (cause instanceof KbsError) throw cause
    throw new KbsError('ATTESTATION_POLICY', 'Set Attestation Policy failed', { cause })
  }
}

export async function registerReferenceValue(admin: AttestationAdmin, body: unknown): Promise<void> {
  try {
    await admin.registerReferenceValue(body)
  } catch (cause) {
    throw new KbsError('RVPS_ERROR', 'RVPS error: cannot register reference value', { cause })
  }
}

export async function queryReferenceValue(admin: AttestationAdmin, id: string): Promise<unknown> {
  let value: unknown
  try {
    value = await admin.queryReferenceValue(id)
  } catch (cause) {
    throw new KbsError('RVPS_ERROR', 'RVPS error: query failed', { cause })
  }
  if (value === undefined) throw new KbsError('RVPS_ERROR', `RVPS error: reference value ${id} not found`)
  return value
}

/** Carapace extension (`GET /kbs/v0/reference-value`, no id): upstream has no listing route. */
export async function listReferenceValues(admin: AttestationAdmin): Promise<Record<string, unknown>> {
  try {
    return await admin.listReferenceValues()
  } catch (cause) {
    throw new KbsError('RVPS_ERROR', 'RVPS error: listing failed', { cause })
  }
}
