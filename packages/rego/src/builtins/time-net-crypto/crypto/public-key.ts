import { createPublicKey, type KeyObject } from 'node:crypto'
import { bitString, children, DerError, expectTag, integerValue, oidText, parseDer, TAG, type Der } from './der.ts'
import type { GoJson } from './go-value.ts'

/** Go's x509.PublicKeyAlgorithm numbering. */
export const PUBLIC_KEY_ALGORITHM = { unknown: 0, RSA: 1, DSA: 2, ECDSA: 3, Ed25519: 4 } as const

export const EC_CURVES: Readonly<Record<string, string>> = {
  '1.3.132.0.33': 'P-224',
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
}

export interface ParsedPublicKey {
  algorithm: number
  /** The key as Go marshals it (`*rsa.PublicKey` → {N, E}, ...). */
  json: GoJson
  key: KeyObject | undefined
}

/** A SubjectPublicKeyInfo, read the way Go's x509.ParsePKIXPublicKey does. */
export function parseSubjectPublicKeyInfo(spki: Der): ParsedPublicKey {
  const [algId, keyBits] = children(expectTag(spki, TAG.SEQUENCE, 'public key info'))
  const algParts = children(expectTag(algId, TAG.SEQUENCE, 'public key algorithm'))
  const oid = oidText(expectTag(algParts[0], TAG.OID, 'public key algorithm'))
  const bits = bitString(expectTag(keyBits, TAG.BIT_STRING, 'public key'))
  let key: KeyObject | undefined
  try {
    key = createPublicKey({ key: spki.raw, format: 'der', type: 'spki' })
  } catch {
    key = undefined
  }
  switch (oid) {
    case '1.2.840.113549.1.1.1': {
      const [n, e] = children(parseDer(bits.bytes))
      const N = integerValue(expectTag(n, TAG.INTEGER, 'RSA modulus'))
      const E = integerValue(expectTag(e, TAG.INTEGER, 'RSA exponent'))
      if (N <= 0n) throw new DerError('x509: RSA modulus is not a positive number')
      if (E <= 0n) throw new DerError('x509: RSA public exponent is not a positive number')
      return { algorithm: PUBLIC_KEY_ALGORITHM.RSA, json: { N, E }, key }
    }
    case '1.2.840.10045.2.1': {
      const curveOid = algParts[1]?.tag === TAG.OID ? oidText(algParts[1]) : ''
      const curve = EC_CURVES[curveOid]
      if (!curve) throw new DerError('x509: unsupported elliptic curve')
      const point = bits.bytes
      if (point[0] !== 4 || (point.length - 1) % 2 !== 0)
        throw new DerError('x509: failed to unmarshal elliptic curve point')
      const half = (point.length - 1) / 2
      const X = BigInt('0x' + (point.subarray(1, 1 + half).toString('hex') || '0'))
      const Y = BigInt('0x' + (point.subarray(1 + half).toString('hex') || '0'))
      // Go's elliptic.Curve values have no exported fields.
      return { algorithm: PUBLIC_KEY_ALGORITHM.ECDSA, json: { Curve: {}, X, Y }, key }
    }
    case '1.3.101.112':
      return { algorithm: PUBLIC_KEY_ALGORITHM.Ed25519, json: Buffer.from(bits.bytes), key }
    case '1.2.840.10040.4.1': {
      const params = algParts[1] ? children(algParts[1]).map(integerValue) : []
      const Y = integerValue(parseDer(bits.bytes))
      return {
        algorithm: PUBLIC_KEY_ALGORITHM.DSA,
        json: { Parameters: { P: params[0] ?? null, Q: params[1] ?? null, G: params[2] ?? null }, Y },
        key,
      }
    }
    default:
      return { algorithm: PUBLIC_KEY_ALGORITHM.unknown, json: null, key: undefined }
  }
}
