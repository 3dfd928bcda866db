import { constants, verify, type KeyObject } from 'node:crypto'
import type { VerificationErrorCode } from '../verifier.ts'
import {
  bufferView,
  DerCursor,
  DerTag,
  derExplicit,
  derFail,
  derNull,
  derOid,
  derSmallInteger,
  readDer,
  type DerElement,
} from './der.ts'

export const SignatureOid = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  sha384WithRsa: '1.2.840.113549.1.1.12',
  sha512WithRsa: '1.2.840.113549.1.1.13',
  rsassaPss: '1.2.840.113549.1.1.10',
  ed25519: '1.3.101.112',
} as const

const MGF1 = '1.2.840.113549.1.1.8'

const HASHES: Readonly<Record<string, 'sha1' | 'sha256' | 'sha384' | 'sha512'>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
}

/** How node's `crypto.verify` must be called for one AlgorithmIdentifier. */
export interface SignatureScheme {
  readonly kind: 'ecdsa' | 'rsa-pkcs1' | 'rsa-pss' | 'ed25519'
  /** The digest for `crypto.verify` (null for Ed25519). */
  readonly hash: 'sha256' | 'sha384' | 'sha512' | null
  /** RSASSA-PSS salt length in octets. */
  readonly saltLength?: number
}

/**
 * Reads a signature AlgorithmIdentifier TLV. Supported: ECDSA with SHA-256/384/512, RSA PKCS#1 v1.5
 * with SHA-256/384/512, RSASSA-PSS (SHA-256/384/512, MGF1 with the same hash, trailer 1) and Ed25519.
 * SHA-1 based signatures are refused.
 */
export function signatureScheme(
  algorithmIdentifier: Uint8Array,
  errorCode: VerificationErrorCode = 'CERT_CHAIN_INVALID',
): SignatureScheme {
  const key = bufferView(algorithmIdentifier).toString('latin1')
  const known = schemes.get(key)
  if (known !== undefined) return known
  const scheme = readScheme(algorithmIdentifier, errorCode)
  // Few distinct identifiers exist; the bound only guards against a flood of garbage ones.
  if (schemes.size < 64) schemes.set(key, scheme)
  return scheme
}

const schemes = new Map<string, SignatureScheme>()

function readScheme(algorithmIdentifier: Uint8Array, errorCode: VerificationErrorCode): SignatureScheme {
  const cursor = new DerCursor(readDer(algorithmIdentifier, errorCode), DerTag.sequence, 'AlgorithmIdentifier')
  const oid = derOid(cursor.next(DerTag.objectIdentifier, 'algorithm'))
  const parameters = cursor.done ? undefined : cursor.next()
  cursor.end('AlgorithmIdentifier')
  const noParameters = (allowNull: boolean): void => {
    if (parameters === undefined) return
    if (allowNull) derNull(parameters)
    else derFail(errorCode, `${oid} takes no parameters`)
  }
  switch (oid) {
    case SignatureOid.ecdsaWithSha256:
    case SignatureOid.ecdsaWithSha384:
    case SignatureOid.ecdsaWithSha512:
      noParameters(false)
      return { kind: 'ecdsa', hash: oid.endsWith('.2') ? 'sha256' : oid.endsWith('.3') ? 'sha384' : 'sha512' }
    case SignatureOid.sha256WithRsa:
    case SignatureOid.sha384WithRsa:
    case SignatureOid.sha512WithRsa:
      noParameters(true)
      return { kind: 'rsa-pkcs1', hash: oid.endsWith('.11') ? 'sha256' : oid.endsWith('.12') ? 'sha384' : 'sha512' }
    case SignatureOid.rsassaPss:
      if (parameters === undefined) return derFail(errorCode, 'RSASSA-PSS without parameters (SHA-1) is refused')
      return pssScheme(parameters, errorCode)
    case SignatureOid.ed25519:
      noParameters(false)
      return { kind: 'ed25519', hash: null }
    default:
      return derFail(errorCode, `unsupported signature algorithm ${oid}`)
  }
}

/** RFC 4055 RSASSA-PSS-params; defaults (SHA-1, salt 20) are refused as SHA-1. */
function pssScheme(parameters: DerElement, errorCode: VerificationErrorCode): SignatureScheme {
  const cursor = new DerCursor(parameters, DerTag.sequence, 'RSASSA-PSS-params')
  const hashElement = cursor.optional(0xa0)
  const mgfElement = cursor.optional(0xa1)
  const saltElement = cursor.optional(0xa2)
  const trailerElement = cursor.optional(0xa3)
  cursor.end('RSASSA-PSS-params')
  const hash = hashElement === undefined ? 'sha1' : hashOf(derExplicit(hashElement, 0), errorCode)
  if (hash === 'sha1') return derFail(errorCode, 'RSASSA-PSS with SHA-1 is refused')
  if (mgfElement === undefined) return derFail(errorCode, 'RSASSA-PSS with MGF1-SHA-1 is refused')
  const mgf = new DerCursor(derExplicit(mgfElement, 1), DerTag.sequence, 'MaskGenAlgorithm')
  if (derOid(mgf.next(DerTag.objectIdentifier, 'mgf')) !== MGF1) derFail(errorCode, 'RSASSA-PSS mask is not MGF1')
  const mgfHash = hashOf(mgf.next(DerTag.sequence, 'MGF1 hash'), errorCode)
  mgf.end('MaskGenAlgorithm')
  // node (OpenSSL) uses the signature digest for MGF1 too.
  if (mgfHash !== hash) derFail(errorCode, 'RSASSA-PSS with an MGF1 hash different from the message hash')
  const saltLength = saltElement === undefined ? 20 : derSmallInteger(derExplicit(saltElement, 2))
  if (saltLength < 0) derFail(errorCode, 'negative RSASSA-PSS salt length')
  if (trailerElement !== undefined && derSmallInteger(derExplicit(trailerElement, 3)) !== 1) {
    derFail(errorCode, 'RSASSA-PSS trailer field must be 1')
  }
  return { kind: 'rsa-pss', hash, saltLength }
}

function hashOf(element: DerElement, errorCode: VerificationErrorCode): 'sha1' | 'sha256' | 'sha384' | 'sha512' {
  const cursor = new DerCursor(element, DerTag.sequence, 'hash AlgorithmIdentifier')
  const oid = derOid(cursor.next(DerTag.objectIdentifier, 'hash algorithm'))
  const parameters = cursor.done ? undefined : cursor.next()
  if (parameters !== undefined) derNull(parameters)
  cursor.end('hash AlgorithmIdentifier')
  const hash = HASHES[oid]
  if (hash === undefined) return derFail(errorCode, `unsupported hash ${oid}`)
  return hash
}

/**
 * Verifies `signature` over `data` with `publicKey` as the AlgorithmIdentifier prescribes (ECDSA
 * signatures DER-encoded, as X.509 and CRLs carry them). Returns false for a wrong signature or a
 * key of the wrong type; throws only for an algorithm it cannot read.
 */
export function verifySignature(
  data: Uint8Array,
  algorithmIdentifier: Uint8Array,
  signature: Uint8Array,
  publicKey: KeyObject,
  errorCode: VerificationErrorCode = 'CERT_CHAIN_INVALID',
): boolean {
  const scheme = signatureScheme(algorithmIdentifier, errorCode)
  const keyType = publicKey.asymmetricKeyType
  const expectedKeyType = scheme.kind === 'ecdsa' ? 'ec' : scheme.kind === 'ed25519' ? 'ed25519' : undefined
  if (expectedKeyType !== undefined ? keyType !== expectedKeyType : keyType !== 'rsa' && keyType !== 'rsa-pss') {
    return false
  }
  try {
    if (scheme.kind === 'rsa-pss') {
      return verify(
        scheme.hash,
        data,
        { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.saltLength },
        signature,
      )
    }
    if (scheme.kind === 'rsa-pkcs1') {
      return verify(scheme.hash, data, { key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature)
    }
    if (scheme.kind === 'ecdsa') return verify(scheme.hash, data, { key: publicKey, dsaEncoding: 'der' }, signature)
    return verify(null, data, publicKey, signature)
  } catch {
    // OpenSSL throws for some malformed signatures (e.g. bad ECDSA DER) instead of returning false.
    return false
  }
}
