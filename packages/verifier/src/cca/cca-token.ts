import { VerificationError } from '../verifier.ts'
import { CborMap, CborTagged, decodeCbor } from './cbor.ts'

/*
 * An Arm CCA attestation token: CBOR tag 399 (CMW collection) over a map holding the platform
 * token (key 44234) and the realm token (key 44241), each a COSE_Sign1 in a byte string.
 */

const CCA_TOKEN_COLLECTION_TAG = 399
const PLATFORM_TOKEN_KEY = 44234
const REALM_TOKEN_KEY = 44241

export interface CcaTokenParts {
  readonly platform: Uint8Array
  readonly realm: Uint8Array
}

export function splitCcaToken(bytes: Uint8Array): CcaTokenParts {
  const value = decodeCbor(bytes)
  if (!(value instanceof CborTagged) || value.tag !== CCA_TOKEN_COLLECTION_TAG || !(value.value instanceof CborMap)) {
    throw new VerificationError('EVIDENCE_MALFORMED', 'CCA token is not a tagged (399) collection map')
  }
  const platform = value.value.get(PLATFORM_TOKEN_KEY)
  const realm = value.value.get(REALM_TOKEN_KEY)
  if (!(platform instanceof Uint8Array) || !(realm instanceof Uint8Array) || value.value.entries.length !== 2) {
    throw new VerificationError('EVIDENCE_MALFORMED', 'CCA token must hold exactly the platform and the realm token')
  }
  return { platform, realm }
}
