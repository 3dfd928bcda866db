import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { describe, test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { encodeCbor, CborMap } from './cbor.ts'
import { realmAttestationKey } from './rak-binding.ts'

const p384Point = (): Uint8Array => {
  const jwk = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ format: 'jwk' })
  return Uint8Array.from(
    Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]),
  )
}
const isMalformed = (e: unknown): boolean => e instanceof VerificationError && e.code === 'EVIDENCE_MALFORMED'

describe('remembered realm attestation keys', () => {
  test('a RAK is imported once per exact encoding; another point is another key', () => {
    const point = p384Point()
    const key = realmAttestationKey(point)
    assert.equal(realmAttestationKey(Uint8Array.from(point)), key)
    assert.equal(key.export({ format: 'jwk' }).x, Buffer.from(point.subarray(1, 49)).toString('base64url'))
    const other = p384Point()
    assert.notEqual(realmAttestationKey(other), key)
  })

  test('a changed byte that leaves the curve is refused every time, after the good key was remembered', () => {
    const point = p384Point()
    realmAttestationKey(point)
    const changed = Uint8Array.from(point)
    changed[96] = (changed[96] ?? 0) ^ 1
    for (let i = 0; i < 2; i++) assert.throws(() => realmAttestationKey(changed), isMalformed)
  })

  test('the same point as a COSE_Key is its own entry with the same key material', () => {
    const point = p384Point()
    const coseKey = encodeCbor(
      new CborMap([
        [1, 2],
        [-1, 2],
        [-2, point.subarray(1, 49)],
        [-3, point.subarray(49)],
      ]),
    )
    const fromCose = realmAttestationKey(coseKey)
    assert.equal(realmAttestationKey(Uint8Array.from(coseKey)), fromCose)
    assert.deepEqual(fromCose.export({ format: 'jwk' }), realmAttestationKey(point).export({ format: 'jwk' }))
  })
})
