import { createECDH, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { ProtocolError } from '../errors.ts'
import { base64UrlDecode, base64UrlEncode } from '../jwe/base64url.ts'
import { ecCoordinateLength, type EcCurve, type TeePubKey } from './tee-pubkey.ts'

/** Key types a guest may generate; P-256 is guest-components' default (`ECDH-ES+A256KW-P256`). */
export type TeeKeyType = 'EC-P256' | 'EC-P521' | 'RSA-2048'

/**
 * The guest's ephemeral TEE key pair. `curve` is set for EC keys; RSA keys always use
 * RSA-OAEP-256, as guest-components generates them.
 */
export type TeeKeyPair = EcTeeKeyPair | RsaTeeKeyPair

export interface EcTeeKeyPair {
  readonly kty: 'EC'
  readonly curve: EcCurve
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
}

export interface RsaTeeKeyPair {
  readonly kty: 'RSA'
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
}

const NODE_CURVE: Record<EcCurve, string> = { 'P-256': 'prime256v1', 'P-521': 'secp521r1' }

export function generateTeeKeyPair(type: TeeKeyType = 'EC-P256'): TeeKeyPair {
  switch (type) {
    case 'EC-P256':
    case 'EC-P521': {
      const curve: EcCurve = type === 'EC-P256' ? 'P-256' : 'P-521'
      return generateEcKeyPair(curve)
    }
    case 'RSA-2048': {
      // As DER, then imported: the generation job's own key objects are never used (see below).
      const pair = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        publicExponent: 65537,
        privateKeyEncoding: { type: 'pkcs8', format: 'der' },
        publicKeyEncoding: { type: 'spki', format: 'der' },
      })
      return {
        kty: 'RSA',
        privateKey: createPrivateKey({ key: pair.privateKey, format: 'der', type: 'pkcs8' }),
        publicKey: createPublicKey({ key: pair.publicKey, format: 'der', type: 'spki' }),
      }
    }
  }
}

/**
 * An EC pair made with an ECDH object and imported as JWK: key objects from generateKeyPairSync
 * can deadlock Node 20 when a garbage collection during their JWK export (exportTeePubKey) or use
 * finalizes the generation job, which takes the same key's mutex (encrypt-response.ts).
 */
function generateEcKeyPair(curve: EcCurve): EcTeeKeyPair {
  const size = ecCoordinateLength(curve)
  const ecdh = createECDH(NODE_CURVE[curve])
  const point = ecdh.generateKeys()
  const x = base64UrlEncode(point.subarray(1, 1 + size))
  const y = base64UrlEncode(point.subarray(1 + size, 1 + 2 * size))
  const scalar = ecdh.getPrivateKey()
  const d = Buffer.alloc(size)
  scalar.copy(d, size - scalar.length)
  const privateKey = createPrivateKey({ key: { kty: 'EC', crv: curve, x, y, d: base64UrlEncode(d) }, format: 'jwk' })
  const publicKey = createPublicKey({ key: { kty: 'EC', crv: curve, x, y }, format: 'jwk' })
  return { kty: 'EC', curve, privateKey, publicKey }
}

/**
 * The `tee-pubkey` JWK as guest-components exports it. Member order follows its serialisation
 * (kty, crv, alg, x, y / kty, alg, n, e); the binding hash uses JCS, so order is cosmetic.
 */
export function exportTeePubKey(pair: TeeKeyPair): TeePubKey {
  const jwk = pair.publicKey.export({ format: 'jwk' })
  if (pair.kty === 'EC') {
    const size = ecCoordinateLength(pair.curve)
    return {
      kty: 'EC',
      crv: pair.curve,
      alg: 'ECDH-ES+A256KW',
      x: fixedLength(jwk.x, size),
      y: fixedLength(jwk.y, size),
    }
  }
  if (jwk.n === undefined || jwk.e === undefined) {
    throw new ProtocolError('MALFORMED', 'RSA key has no modulus or exponent')
  }
  return { kty: 'RSA', alg: 'RSA-OAEP-256', n: jwk.n, e: jwk.e }
}

// Node pads coordinates to the field size already; re-padding guards against a runtime that
// strips leading zeros (P-521 coordinates often start with a zero byte).
function fixedLength(coordinate: string | undefined, size: number): string {
  if (coordinate === undefined) throw new ProtocolError('MALFORMED', 'EC key has no coordinates')
  const bytes = base64UrlDecode(coordinate, 'EC coordinate')
  if (bytes.length > size) throw new ProtocolError('MALFORMED', 'EC coordinate longer than the field size')
  const padded = Buffer.alloc(size)
  bytes.copy(padded, size - bytes.length)
  return base64UrlEncode(padded)
}
