import assert from 'node:assert/strict'
import { test } from 'node:test'
import { base64UrlDecode } from '../jwe/base64url.ts'
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
