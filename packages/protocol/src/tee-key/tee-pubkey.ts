import { createPublicKey, type KeyObject } from 'node:crypto'
import { ProtocolError } from '../errors.ts'
import { base64UrlDecode, base64UrlEncode } from '../jwe/base64url.ts'
import { describeValue } from '../jwe/describe-value.ts'

/** The `tee-pubkey` JWK of KBS protocol 0.4.0 (kbs-types `TeePubKey`, tagged by `kty`). */
export type TeePubKey = EcTeePubKey | RsaTeePubKey

export interface EcTeePubKey {
  readonly kty: 'EC'
  readonly crv: EcCurve
  readonly alg: 'ECDH-ES+A256KW'
  readonly x: string
  readonly y: string
}

export interface RsaTeePubKey {
  readonly kty: 'RSA'
  readonly alg: RsaKeyAlgorithm
  readonly n: string
  readonly e: string
}

export type EcCurve = 'P-256' | 'P-521'
/** RSA1_5 is legacy: Trustee still encrypts to it; guests no longer generate such keys. */
export type RsaKeyAlgorithm = 'RSA-OAEP-256' | 'RSA1_5'

/** A validated TEE public key: the canonical JWK and the node key object built from it. */
export interface ImportedTeePubKey {
  readonly jwk: TeePubKey
  readonly key: KeyObject
}

export const MIN_RSA_MODULUS_BITS = 2048
// An upper bound keeps a hostile token from making the KBS do huge modular exponentiations.
export const MAX_RSA_MODULUS_BITS = 16384

/** Coordinate length in bytes: JWK EC coordinates are fixed-length (RFC 7518 §6.2.1.2). */
export function ecCoordinateLength(crv: EcCurve): number {
  return crv === 'P-256' ? 32 : 66
}

/**
 * Validates a received `tee-pubkey` (e.g. from attestation-token claims) the way Trustee
 * deserialises and uses it: exact member types, known kty/crv/alg, fixed-length EC coordinates
 * naming a point on the curve, RSA modulus of at least 2048 bits. Unknown extra members are
 * ignored and dropped from the returned canonical JWK.
 */
export function importTeePubKey(value: unknown): ImportedTeePubKey {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError('MALFORMED', 'tee-pubkey must be a JSON object')
  }
  const record = value as Record<string, unknown>
  const kty = record['kty']
  if (kty === 'EC') return importEc(record)
  if (kty === 'RSA') return importRsa(record)
  throw new ProtocolError('UNSUPPORTED_ALGORITHM', `tee-pubkey kty ${describeValue(kty)} is not supported (EC or RSA)`)
}

function importEc(record: Record<string, unknown>): ImportedTeePubKey {
  const crv = record['crv']
  if (crv !== 'P-256' && crv !== 'P-521') {
    throw new ProtocolError(
      'UNSUPPORTED_ALGORITHM',
      `tee-pubkey curve ${describeValue(crv)} is not supported (P-256, P-521)`,
    )
  }
  const alg = record['alg']
  if (alg !== 'ECDH-ES+A256KW') {
    throw new ProtocolError('UNSUPPORTED_ALGORITHM', `EC tee-pubkey alg ${describeValue(alg)} is not ECDH-ES+A256KW`)
  }
  const jwk: EcTeePubKey = {
    kty: 'EC',
    crv,
    alg,
    x: ecCoordinate(record['x'], crv, 'x'),
    y: ecCoordinate(record['y'], crv, 'y'),
  }
  return { jwk, key: ecPublicKeyObject(jwk.crv, jwk.x, jwk.y, 'tee-pubkey') }
}

/** Builds a node key from fixed-length coordinates; node rejects points not on the curve. */
export function ecPublicKeyObject(crv: EcCurve, x: string, y: string, what: string): KeyObject {
  try {
    return createPublicKey({ key: { kty: 'EC', crv, x, y }, format: 'jwk' })
  } catch (cause) {
    throw new ProtocolError('MALFORMED', `${what} is not a point on ${crv}`, { cause })
  }
}

/** Checks one EC coordinate member and returns it unchanged. */
export function ecCoordinate(value: unknown, crv: EcCurve, name: string): string {
  if (typeof value !== 'string') throw new ProtocolError('MALFORMED', `EC key member ${name} must be a string`)
  const bytes = base64UrlDecode(value, `EC key member ${name}`)
  const expected = ecCoordinateLength(crv)
  if (bytes.length !== expected) {
    throw new ProtocolError('MALFORMED', `EC key member ${name} is ${bytes.length} bytes; ${crv} needs ${expected}`)
  }
  return value
}

function importRsa(record: Record<string, unknown>): ImportedTeePubKey {
  const alg = record['alg']
  if (alg !== 'RSA-OAEP-256' && alg !== 'RSA1_5') {
    throw new ProtocolError(
      'UNSUPPORTED_ALGORITHM',
      `RSA tee-pubkey alg ${describeValue(alg)} is not RSA-OAEP-256 or RSA1_5`,
    )
  }
  const n = minimalInteger(record['n'], 'n')
  const e = minimalInteger(record['e'], 'e')
  const bits = bitLength(n)
  if (bits < MIN_RSA_MODULUS_BITS || bits > MAX_RSA_MODULUS_BITS) {
    throw new ProtocolError(
      'MALFORMED',
      `RSA tee-pubkey modulus is ${bits} bits; ${MIN_RSA_MODULUS_BITS} to ${MAX_RSA_MODULUS_BITS} are accepted`,
    )
  }
  const exponent = e.length > 8 ? 0n : BigInt(`0x${e.toString('hex')}`)
  if (exponent < 3n || exponent % 2n === 0n) {
    throw new ProtocolError('MALFORMED', 'RSA tee-pubkey exponent must be odd, at least 3 and at most 64 bits')
  }
  const jwk: RsaTeePubKey = { kty: 'RSA', alg, n: base64UrlEncode(n), e: base64UrlEncode(e) }
  try {
    return { jwk, key: createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' }) }
  } catch (cause) {
    throw new ProtocolError('MALFORMED', 'RSA tee-pubkey is not a valid RSA public key', { cause })
  }
}

/**
 * RSA integers in a JWK are unsigned big-endian (RFC 7518 §6.3.1). Leading zero bytes are
 * tolerated, as Trustee tolerates them, and stripped from the canonical JWK.
 */
function minimalInteger(value: unknown, name: string): Buffer {
  if (typeof value !== 'string') throw new ProtocolError('MALFORMED', `RSA key member ${name} must be a string`)
  const bytes = base64UrlDecode(value, `RSA key member ${name}`)
  const first = bytes.findIndex((byte) => byte !== 0)
  if (first < 0) throw new ProtocolError('MALFORMED', `RSA key member ${name} is zero or empty`)
  return bytes.subarray(first)
}

function bitLength(bytes: Buffer): number {
  return (bytes.length - 1) * 8 + (32 - Math.clz32(bytes.readUInt8(0)))
}
