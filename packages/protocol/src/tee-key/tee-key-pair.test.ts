import assert from 'node:assert/strict'
import { createPublicKey } from 'node:crypto'
import { test } from 'node:test'
import { base64UrlDecode } from '../jwe/base64url.ts'
import { decryptResponse } from '../jwe/decrypt-response.ts'
import { encryptResponse } from '../jwe/encrypt-response.ts'
import { loadJweVectors } from '../jwe/jwe-vectors-test-support.ts'
import { exportTeePubKey, generateTeeKeyPair } from './tee-key-pair.ts'
import { teeKeyPairFromPem } from './tee-key-pem.ts'

test('exportTeePubKey reproduces the vector tee-pubkey JWKs byte for byte', () => {
  for (const v of loadJweVectors()) {
    const jwk = exportTeePubKey(teeKeyPairFromPem(v.privateKeyPem))
    assert.equal(JSON.stringify(jwk), JSON.stringify(v.teePubKey), v.name)
  }
})

test('generateTeeKeyPair defaults to EC P-256 and exports fixed-length coordinates', () => {
  const pair = generateTeeKeyPair()
  if (pair.kty !== 'EC') assert.fail('the default pair is not EC')
  assert.equal(pair.curve, 'P-256')
  const jwk = exportTeePubKey(pair)
  assert.deepEqual(Object.keys(jwk), ['kty', 'crv', 'alg', 'x', 'y'])
  assert.equal(jwk.alg, 'ECDH-ES+A256KW')
  for (let i = 0; i < 4; i++) {
    const p521 = exportTeePubKey(generateTeeKeyPair('EC-P521'))
    assert.equal(p521.kty === 'EC' ? p521.crv : '', 'P-521')
    if (p521.kty !== 'EC') assert.fail('P-521 pair exported as RSA')
    assert.equal(base64UrlDecode(p521.x, 'x').length, 66)
    assert.equal(base64UrlDecode(p521.y, 'y').length, 66)
  }
})

test('an RSA-2048 pair exports kty, alg RSA-OAEP-256, minimal n and e', () => {
  const jwk = exportTeePubKey(generateTeeKeyPair('RSA-2048'))
  assert.deepEqual(Object.keys(jwk), ['kty', 'alg', 'n', 'e'])
  if (jwk.kty !== 'RSA') assert.fail('RSA pair exported as EC')
  assert.equal(jwk.alg, 'RSA-OAEP-256')
  assert.equal(jwk.e, 'AQAB')
  const n = base64UrlDecode(jwk.n, 'n')
  assert.equal(n.length, 256)
  assert.ok(n[0]! >= 0x80)
})

test('generated EC pairs: the public key is the private key’s, d is full length, and JWEs to them decrypt', () => {
  for (const [type, size, rounds] of [
    ['EC-P256', 32, 300],
    ['EC-P521', 66, 40],
  ] as const) {
    for (let i = 0; i < rounds; i += 1) {
      const pair = generateTeeKeyPair(type)
      const fromPrivate = createPublicKey(pair.privateKey).export({ format: 'jwk' })
      const exported = pair.publicKey.export({ format: 'jwk' })
      assert.equal(fromPrivate.x, exported.x)
      assert.equal(fromPrivate.y, exported.y)
      const d = pair.privateKey.export({ format: 'jwk' }).d ?? ''
      assert.ok(base64UrlDecode(d, 'd').length <= size)
      const secret = new Uint8Array([i & 0xff, 1, 2, 3])
      assert.deepEqual(new Uint8Array(decryptResponse(encryptResponse(secret, exportTeePubKey(pair)), pair)), secret)
    }
  }
})
