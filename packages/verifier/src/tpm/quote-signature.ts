import { constants, verify, type KeyObject } from 'node:crypto'
import { VerificationError } from '../verifier.ts'
import { hex16, TPM_ALG, tpmHash } from './tpm-alg.ts'
import type { TpmtSignature } from './tpmt-signature.ts'

/**
 * Checks that `signature` by the attestation key `ak` covers `message` (the TPMS_ATTEST bytes).
 * RSASSA-PKCS1-v1_5 and RSA-PSS need an RSA key, ECDSA an EC key; the key type and the scheme
 * must agree. Any failure is `SIGNATURE_INVALID`.
 */
export function verifyQuoteSignature(message: Uint8Array, signature: TpmtSignature, ak: KeyObject): void {
  const hash = tpmHash(signature.hash)
  if (hash === undefined) {
    throw new VerificationError(
      'SIGNATURE_INVALID',
      `TPM quote: signature hash ${hex16(signature.hash)} is not supported`,
    )
  }
  let ok: boolean
  if (signature.sigAlg === TPM_ALG.ECDSA) {
    if (ak.asymmetricKeyType !== 'ec') {
      throw new VerificationError('SIGNATURE_INVALID', 'TPM quote: an ECDSA signature needs an EC attestation key')
    }
    const size = ecFieldSize(ak)
    const r = unpad(signature.r)
    const s = unpad(signature.s)
    if (r.length > size || s.length > size) {
      throw new VerificationError('SIGNATURE_INVALID', 'TPM quote: ECDSA r or s is longer than the curve order')
    }
    const p1363 = Buffer.alloc(size * 2)
    p1363.set(r, size - r.length)
    p1363.set(s, size * 2 - s.length)
    ok = verify(hash.name, message, { key: ak, dsaEncoding: 'ieee-p1363' }, p1363)
  } else {
    if (ak.asymmetricKeyType !== 'rsa') {
      throw new VerificationError('SIGNATURE_INVALID', 'TPM quote: an RSA signature needs an RSA attestation key')
    }
    // RSASSA is the default padding of an RSA KeyObject: passed bare, Node skips reading key options.
    ok =
      signature.sigAlg === TPM_ALG.RSAPSS
        ? verify(
            hash.name,
            message,
            { key: ak, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
            signature.sig,
          )
        : verify(hash.name, message, ak, signature.sig)
  }
  if (!ok)
    throw new VerificationError(
      'SIGNATURE_INVALID',
      'TPM quote: the signature does not verify with the attestation key',
    )
}

function ecFieldSize(key: KeyObject): number {
  switch (key.asymmetricKeyDetails?.namedCurve) {
    case 'prime256v1':
      return 32
    case 'secp384r1':
      return 48
    case 'secp521r1':
      return 66
    default:
      throw new VerificationError('SIGNATURE_INVALID', 'TPM quote: the attestation key curve is not supported')
  }
}

function unpad(value: Uint8Array): Uint8Array {
  let i = 0
  while (i < value.length - 1 && value[i] === 0) i++
  return value.subarray(i)
}
