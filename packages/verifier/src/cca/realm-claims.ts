import { ClaimMap } from './cca-claim-map.ts'

/* The CCA realm token's claims (RMM specification, realm claim keys 44235–44240 and challenge 10). */

const CHALLENGE = 10
const PERSONALIZATION_VALUE = 44235
const HASH_ALGO_ID = 44236
const PUBLIC_KEY = 44237
const INITIAL_MEASUREMENT = 44238
const EXTENSIBLE_MEASUREMENTS = 44239
const PUBLIC_KEY_HASH_ALGO_ID = 44240

const MEASUREMENT_SIZES = [32, 48, 64]

export interface CcaRealmClaims {
  readonly challenge: Uint8Array
  readonly personalizationValue: Uint8Array
  readonly hashAlgoId: string
  /** The RAK public key, exactly as the claim encodes it (the platform challenge hashes these bytes). */
  readonly publicKey: Uint8Array
  readonly publicKeyHashAlgoId: string
  readonly initialMeasurement: Uint8Array
  readonly extensibleMeasurements: readonly Uint8Array[]
}

export function parseRealmClaims(payload: Uint8Array): CcaRealmClaims {
  const claims: ClaimMap = new ClaimMap(payload, 'realm')
  const rems = claims.value(EXTENSIBLE_MEASUREMENTS, 'extensible-measurements')
  if (!Array.isArray(rems) || rems.length !== 4) claims.fail('extensible-measurements is not an array of four')
  const extensibleMeasurements = rems.map((rem) => {
    if (!(rem instanceof Uint8Array) || !MEASUREMENT_SIZES.includes(rem.length)) {
      return claims.fail('an extensible measurement is not a 32/48/64-byte string')
    }
    return rem
  })
  return {
    challenge: claims.bytes(CHALLENGE, 'challenge', [64]),
    personalizationValue: claims.bytes(PERSONALIZATION_VALUE, 'personalization-value', [64]),
    hashAlgoId: claims.text(HASH_ALGO_ID, 'hash-algo-id'),
    publicKey: claims.bytes(PUBLIC_KEY, 'public-key'),
    publicKeyHashAlgoId: claims.text(PUBLIC_KEY_HASH_ALGO_ID, 'public-key-hash-algo-id'),
    initialMeasurement: claims.bytes(INITIAL_MEASUREMENT, 'initial-measurement', MEASUREMENT_SIZES),
    extensibleMeasurements,
  }
}
