import { createHash } from 'node:crypto'
import { sm2 } from 'sm-crypto-v2'

/** An SM2 public key as big-endian 32-byte affine coordinates. */
export interface Sm2PublicKey {
  readonly x: Uint8Array
  readonly y: Uint8Array
}

/** The SM2 curve constants (GB/T 32918.5) that enter the signer's Z value. */
const CURVE_A = 'fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc'
const CURVE_B = '28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93'
const BASE_X = '32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7'
const BASE_Y = 'bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0'
const ORDER = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n
const CURVE_PREFIX = Buffer.from(CURVE_A + CURVE_B + BASE_X + BASE_Y, 'hex')

/**
 * Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA): the signer's identity hash SM2 signatures cover.
 * Computed here (with node's SM3) rather than by sm-crypto-v2 because Hygon's distinguishing IDs are
 * byte strings read from the certificates, and sm-crypto-v2 takes the ID as text.
 */
export function sm2IdentityHash(key: Sm2PublicKey, userId: Uint8Array): Buffer {
  const bits = userId.length * 8
  return createHash('sm3')
    .update(Buffer.from([(bits >> 8) & 0xff, bits & 0xff]))
    .update(userId)
    .update(CURVE_PREFIX)
    .update(key.x)
    .update(key.y)
    .digest()
}

/** A validated public key: its hex form, or a precomputed point for a key that verifies often. */
export type PreparedSm2Key = string | ReturnType<typeof sm2.precomputePublicKey>

/**
 * Validates the point (on the curve, not infinity); throws when it is not a key. Precomputing costs
 * about as much as twenty verifications, so only keys that are remembered (the PEK) are precomputed.
 */
export function prepareSm2Key(key: Sm2PublicKey, precompute = false): PreparedSm2Key {
  const hex = `04${Buffer.from(key.x).toString('hex')}${Buffer.from(key.y).toString('hex')}`
  if (!sm2.verifyPublicKey(hex)) throw new Error('not a point of the SM2 curve')
  return precompute ? sm2.precomputePublicKey(hex) : hex
}

function hex64(value: bigint): string {
  return value.toString(16).padStart(64, '0')
}

/**
 * SM2 verification (GB/T 32918.2) with SM3 and the signer's distinguishing ID: e = SM3(Z ‖ M), then
 * sm-crypto-v2's verification of (r, s) over e. r and s are range-checked here (1 ≤ r, s < n), which
 * sm-crypto-v2 leaves to the caller.
 */
export function verifySm2(
  key: PreparedSm2Key,
  identityHash: Uint8Array,
  message: Uint8Array,
  r: bigint,
  s: bigint,
): boolean {
  if (r < 1n || r >= ORDER || s < 1n || s >= ORDER) return false
  const e = createHash('sm3').update(identityHash).update(message).digest()
  return sm2.doVerifySignature(e, hex64(r) + hex64(s), key, { hash: false })
}
