import { ClaimMap } from './cca-claim-map.ts'

/* The CCA platform token's claims (Arm CCA Security Model / PSA token keys) this verifier uses. */

const CHALLENGE = 10
const INSTANCE_ID = 256
const IMPLEMENTATION_ID = 2396

export interface CcaPlatformClaims {
  /** Hash of the RAK public key (binds the realm token to this platform). */
  readonly challenge: Uint8Array
  /** UEID (type byte + 32), keys the trust-anchor store. */
  readonly instanceId: Uint8Array
  readonly implementationId: Uint8Array
}

export function parsePlatformClaims(payload: Uint8Array): CcaPlatformClaims {
  const claims = new ClaimMap(payload, 'platform')
  return {
    challenge: claims.bytes(CHALLENGE, 'challenge', [32, 48, 64]),
    instanceId: claims.bytes(INSTANCE_ID, 'instance-id', [33]),
    implementationId: claims.bytes(IMPLEMENTATION_ID, 'implementation-id', [32]),
  }
}
