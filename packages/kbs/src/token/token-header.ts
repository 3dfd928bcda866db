import { decodeProtectedHeader, type ProtectedHeaderParameters } from 'jose'
import { KbsError } from '../http/errors.ts'

/** The protected header of an attestation token, or TOKEN_VERIFIER when it does not decode. */
export function tokenHeader(token: string): ProtectedHeaderParameters {
  try {
    return decodeProtectedHeader(token)
  } catch (cause) {
    throw new KbsError('TOKEN_VERIFIER', 'attestation token header is malformed', { cause })
  }
}
