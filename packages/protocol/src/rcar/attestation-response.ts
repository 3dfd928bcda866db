import { expectObject, expectString } from './wire-fields.ts'

/** POST /kbs/v0/attest response: the attestation token (an EAR JWT with Trustee's AS). */
export interface AttestationResponse {
  token: string
}

export function parseAttestationResponse(input: unknown): AttestationResponse {
  const body = expectObject(input, 'AttestationResponse')
  return { token: expectString(body['token'], 'AttestationResponse.token') }
}

export function attestationResponseToWire(response: AttestationResponse): AttestationResponse {
  return { token: response.token }
}
