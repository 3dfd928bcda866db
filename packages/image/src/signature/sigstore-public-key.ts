import { createPublicKey, verify, type KeyObject } from 'node:crypto'
import { SignatureError } from './signature-error.ts'

const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/

/**
 * Reads a PEM public key as sigstore's `UnmarshalPEMToPublicKey` does (`PUBLIC KEY` SPKI, or
 * `RSA PUBLIC KEY` PKCS#1) and keeps only the algorithms cosign verifies: ECDSA P-256/P-384/P-521,
 * Ed25519, RSA.
 */
export function parseSigstorePublicKey(pem: Uint8Array, what: string): KeyObject {
  const text = Buffer.from(pem).toString('utf8')
  const block = PEM_BLOCK.exec(text)
  if (block === null) throw new SignatureError('INVALID_KEY', `${what}: no PEM public key found`)
  if (block[1] !== 'PUBLIC KEY' && block[1] !== 'RSA PUBLIC KEY') {
    throw new SignatureError('INVALID_KEY', `${what}: PEM block ${block[1]} is not a public key`)
  }
  let key: KeyObject
  try {
    key = createPublicKey({ key: block[0], format: 'pem' })
  } catch (e) {
    throw new SignatureError('INVALID_KEY', `${what}: ${(e as Error).message}`, { cause: e })
  }
  const type = key.asymmetricKeyType
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve
    if (curve !== 'prime256v1' && curve !== 'secp384r1' && curve !== 'secp521r1') {
      throw new SignatureError('INVALID_KEY', `${what}: unsupported ECDSA curve ${String(curve)}`)
    }
  } else if (type !== 'ed25519' && type !== 'rsa') {
    throw new SignatureError('INVALID_KEY', `${what}: unsupported public key type ${String(type)}`)
  }
  return key
}

/**
 * Verifies a cosign signature over the payload bytes as sigstore's `LoadVerifier(key, SHA256)`:
 * ECDSA = ASN.1 DER over SHA-256 (whatever the curve), RSA = PKCS#1 v1.5 SHA-256, Ed25519 = pure.
 */
export function verifySigstoreSignature(key: KeyObject, payload: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (key.asymmetricKeyType === 'ed25519') return verify(null, payload, key, signature)
    return verify('sha256', payload, key, signature)
  } catch {
    return false
  }
}
