import { createHash, createPublicKey, type KeyObject } from 'node:crypto'
import { VerificationError } from '../verifier.ts'
import { CborMap, decodeCbor } from './cbor.ts'
import type { CcaPlatformClaims } from './platform-claims.ts'
import type { CcaRealmClaims } from './realm-claims.ts'

/*
 * The realm token is signed by the Realm Attestation Key (RAK) it carries; the platform vouches
 * for that key by putting its hash (realm `public-key-hash-algo-id`) in the platform challenge.
 */

const HASHES: ReadonlyMap<string, string> = new Map([
  ['sha-256', 'sha256'],
  ['sha-384', 'sha384'],
  ['sha-512', 'sha512'],
])

/** Uncompressed point length → JWK curve. */
const POINT_CURVES: ReadonlyMap<number, string> = new Map([
  [65, 'P-256'],
  [97, 'P-384'],
  [133, 'P-521'],
])
/** COSE_Key crv → JWK curve. */
const COSE_CURVES: ReadonlyMap<number, string> = new Map([
  [1, 'P-256'],
  [2, 'P-384'],
  [3, 'P-521'],
])

function malformed(message: string): VerificationError {
  return new VerificationError('EVIDENCE_MALFORMED', `CCA realm public key: ${message}`)
}

function ecKey(crv: string, x: Uint8Array, y: Uint8Array): KeyObject {
  const jwk = { kty: 'EC', crv, x: Buffer.from(x).toString('base64url'), y: Buffer.from(y).toString('base64url') }
  try {
    return createPublicKey({ key: jwk, format: 'jwk' })
  } catch (cause) {
    throw new VerificationError('EVIDENCE_MALFORMED', 'CCA realm public key is not a point on its curve', { cause })
  }
}

/** Imported RAKs by their exact encoding: importing a key costs about a third of one signature check. */
const importedRaks = new Map<string, KeyObject>()
const IMPORTED_RAKS_MAX = 256

/** The RAK: an uncompressed EC point (RMM 1.0 beta) or a COSE_Key (EC2); imported once per exact bytes. */
export function realmAttestationKey(encoded: Uint8Array): KeyObject {
  const id = Buffer.from(encoded).toString('base64')
  const known = importedRaks.get(id)
  if (known !== undefined) return known
  const key = importRak(encoded)
  if (importedRaks.size >= IMPORTED_RAKS_MAX) importedRaks.delete(importedRaks.keys().next().value ?? '')
  importedRaks.set(id, key)
  return key
}

function importRak(encoded: Uint8Array): KeyObject {
  if (encoded[0] === 0x04) {
    const crv = POINT_CURVES.get(encoded.length)
    if (crv === undefined) throw malformed(`a ${String(encoded.length)}-byte point is no known curve`)
    const size = (encoded.length - 1) / 2
    return ecKey(crv, encoded.subarray(1, 1 + size), encoded.subarray(1 + size))
  }
  const coseKey = decodeCbor(encoded)
  if (!(coseKey instanceof CborMap) || coseKey.get(1) !== 2) throw malformed('neither an EC point nor an EC2 COSE_Key')
  const crv = COSE_CURVES.get(Number(coseKey.get(-1)))
  const x = coseKey.get(-2)
  const y = coseKey.get(-3)
  if (crv === undefined || !(x instanceof Uint8Array) || !(y instanceof Uint8Array)) throw malformed('bad COSE_Key')
  return ecKey(crv, x, y)
}

/** The platform challenge must be the hash of the RAK exactly as the realm token encodes it. */
export function checkRakBinding(platform: CcaPlatformClaims, realm: CcaRealmClaims): void {
  const hash = HASHES.get(realm.publicKeyHashAlgoId)
  if (hash === undefined) throw malformed(`hash algorithm ${JSON.stringify(realm.publicKeyHashAlgoId)} is unknown`)
  const digest = createHash(hash).update(realm.publicKey).digest()
  if (!digest.equals(Buffer.from(platform.challenge))) {
    throw new VerificationError(
      'CERT_CHAIN_INVALID',
      'CCA platform token does not vouch for the realm attestation key (challenge != hash of the RAK)',
    )
  }
}
