import { verify, type KeyObject } from 'node:crypto'
import { VerificationError } from '../verifier.ts'
import { CborMap, CborTagged, decodeCbor, encodeCbor, type CborValue } from './cbor.ts'

/* COSE_Sign1 (RFC 9052 §4.2), tagged 18 or not, with an ECDSA algorithm in the protected header. */

const COSE_SIGN1_TAG = 18
const HEADER_ALG = 1

/** COSE algorithm → hash and curve (RFC 9053 §2.1). */
const ECDSA_ALGORITHMS: ReadonlyMap<number, { hash: string; curve: string }> = new Map([
  [-7, { hash: 'sha256', curve: 'prime256v1' }],
  [-35, { hash: 'sha384', curve: 'secp384r1' }],
  [-36, { hash: 'sha512', curve: 'secp521r1' }],
])

export interface CoseSign1 {
  readonly protectedHeader: Uint8Array
  readonly alg: number
  readonly payload: Uint8Array
  readonly signature: Uint8Array
}

function malformed(what: string, message: string): VerificationError {
  return new VerificationError('EVIDENCE_MALFORMED', `CCA ${what} token: ${message}`)
}

export function parseCoseSign1(bytes: Uint8Array, what: string): CoseSign1 {
  let value: CborValue = decodeCbor(bytes)
  if (value instanceof CborTagged) {
    if (value.tag !== COSE_SIGN1_TAG) throw malformed(what, `tag ${String(value.tag)} is not COSE_Sign1`)
    value = value.value
  }
  if (!Array.isArray(value) || value.length !== 4) throw malformed(what, 'not a COSE_Sign1 array of four')
  const [protectedHeader, unprotected, payload, signature] = value
  if (!(protectedHeader instanceof Uint8Array) || !(unprotected instanceof CborMap)) {
    throw malformed(what, 'bad COSE headers')
  }
  if (!(payload instanceof Uint8Array)) throw malformed(what, 'the payload is not attached')
  if (!(signature instanceof Uint8Array)) throw malformed(what, 'the signature is not a byte string')
  const header = protectedHeader.length === 0 ? new CborMap([]) : decodeCbor(protectedHeader)
  const alg = header instanceof CborMap ? header.get(HEADER_ALG) : undefined
  if (typeof alg !== 'number' || !ECDSA_ALGORITHMS.has(alg)) {
    throw new VerificationError(
      'UNSUPPORTED_VERSION',
      `CCA ${what} token: COSE algorithm ${typeof alg === 'number' ? String(alg) : 'absent'} is not ES256/ES384/ES512`,
    )
  }
  return { protectedHeader, alg, payload, signature }
}

/** The bytes a COSE_Sign1 signature covers: Sig_structure with empty external AAD. */
export function sigStructure(protectedHeader: Uint8Array, payload: Uint8Array): Uint8Array {
  return encodeCbor(['Signature1', protectedHeader, new Uint8Array(0), payload])
}

/** Checks the signature with `key`, which must be on the curve the algorithm names. */
export function verifyCoseSign1(token: CoseSign1, key: KeyObject, what: string): void {
  const algorithm = ECDSA_ALGORITHMS.get(token.alg)
  if (algorithm === undefined || key.asymmetricKeyDetails?.namedCurve !== algorithm.curve) {
    throw new VerificationError(
      'SIGNATURE_INVALID',
      `CCA ${what} token: the key does not fit COSE algorithm ${String(token.alg)}`,
    )
  }
  const signed = sigStructure(token.protectedHeader, token.payload)
  if (!verify(algorithm.hash, signed, { key, dsaEncoding: 'ieee-p1363' }, token.signature)) {
    throw new VerificationError('SIGNATURE_INVALID', `CCA ${what} token signature does not verify`)
  }
}
