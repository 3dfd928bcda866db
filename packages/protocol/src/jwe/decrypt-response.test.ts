import assert from 'node:assert/strict'
import { test } from 'node:test'
import { generateTeeKeyPair, type TeeKeyPair } from '../tee-key/tee-key-pair.ts'
import { teeKeyPairFromPem } from '../tee-key/tee-key-pem.ts'
import { base64UrlDecode, base64UrlEncode } from './base64url.ts'
import { decryptResponse } from './decrypt-response.ts'
import type { JweResponse } from './jwe-response.ts'
import { loadJweVectors } from './jwe-vectors-test-support.ts'

const vectors = loadJweVectors()
const JWE_ERROR = { name: 'ProtocolError', code: 'JWE_ERROR' }

function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8')
}

/** Flips one bit in the decoded bytes of a base64url member. */
function flip(value: string, index = 0): string {
  const bytes = base64UrlDecode(value, 'test')
  bytes[index]! ^= 1
  return base64UrlEncode(bytes)
}

function withHeader(response: JweResponse, header: string): JweResponse {
  return { ...response, protected: base64UrlEncode(Buffer.from(header, 'utf8')) }
}

test('every derived Trustee-style response decrypts to the expected plaintext', () => {
  assert.equal(vectors.length, 3)
  for (const v of vectors) {
    const pair = teeKeyPairFromPem(v.privateKeyPem)
    assert.equal(text(decryptResponse(v.response, pair)), v.plaintext, v.name)
    assert.equal(text(base64UrlDecode(v.response.protected, 'protected')), v.decodedProtectedHeader)
  }
})

test('altering any member of the response is a JWE_ERROR', () => {
  for (const v of vectors) {
    const pair = teeKeyPairFromPem(v.privateKeyPem)
    const r = v.response
    const altered: [string, JweResponse][] = [
      ['iv', { ...r, iv: flip(r.iv) }],
      ['tag', { ...r, tag: flip(r.tag, 15) }],
      ['ciphertext', { ...r, ciphertext: flip(r.ciphertext, 3) }],
      ['encrypted_key', { ...r, encrypted_key: flip(r.encrypted_key, 10) }],
      ['protected (re-serialised with a space)', withHeader(r, v.decodedProtectedHeader.replace(':', ': '))],
      ['truncated tag', { ...r, tag: base64UrlEncode(base64UrlDecode(r.tag, 'tag').subarray(0, 12)) }],
      ['empty ciphertext', { ...r, ciphertext: '' }],
      ['padded iv', { ...r, iv: `${r.iv}==` }],
    ]
    for (const [what, response] of altered) {
      assert.throws(() => decryptResponse(response, pair), JWE_ERROR, `${v.name}: ${what}`)
    }
  }
})

test('the epk is checked: moved off the curve, other curve, missing', () => {
  const v = vectors[0]!
  const pair = teeKeyPairFromPem(v.privateKeyPem)
  const header = JSON.parse(v.decodedProtectedHeader) as { epk: Record<string, string> }
  const offCurve = { ...header, epk: { ...header.epk, y: flip(header.epk.y!, 31) } }
  assert.throws(() => decryptResponse(withHeader(v.response, JSON.stringify(offCurve)), pair), {
    ...JWE_ERROR,
    message: /not a point on P-256/,
  })
  const p521 = vectors[1]!
  assert.throws(() => decryptResponse(p521.response, pair), { ...JWE_ERROR, message: /curve "P-521" does not match/ })
  const noEpk = { alg: 'ECDH-ES+A256KW', enc: 'A256GCM' }
  assert.throws(() => decryptResponse(withHeader(v.response, JSON.stringify(noEpk)), pair), {
    ...JWE_ERROR,
    message: /epk is missing/,
  })
})

test('wrong key, wrong key type and mismatched alg are JWE_ERRORs', () => {
  const [p256, p521, rsa] = vectors as [(typeof vectors)[0], (typeof vectors)[0], (typeof vectors)[0]]
  const otherP256 = generateTeeKeyPair('EC-P256')
  assert.throws(() => decryptResponse(p256.response, otherP256), { ...JWE_ERROR, message: /unwrap failed/ })
  const otherRsa = generateTeeKeyPair('RSA-2048')
  assert.throws(() => decryptResponse(rsa.response, otherRsa), { ...JWE_ERROR, message: /RSA-OAEP-256/ })
  const ecPair = teeKeyPairFromPem(p521.privateKeyPem)
  assert.throws(() => decryptResponse(rsa.response, ecPair), { ...JWE_ERROR, message: /does not match the EC key/ })
  const rsaPair = teeKeyPairFromPem(rsa.privateKeyPem)
  assert.throws(() => decryptResponse(p256.response, rsaPair), { ...JWE_ERROR, message: /does not match the RSA key/ })
})

test('unsupported or malformed headers and members are JWE_ERRORs', () => {
  const v = vectors[2]!
  const pair: TeeKeyPair = teeKeyPairFromPem(v.privateKeyPem)
  const cases: [string, unknown, RegExp][] = [
    ['enc A128GCM', withHeader(v.response, '{"alg":"RSA-OAEP-256","enc":"A128GCM"}'), /enc "A128GCM"/],
    ['RSA1_5', withHeader(v.response, '{"alg":"RSA1_5","enc":"A256GCM"}'), /RSA1_5 is not supported/],
    ['zip', withHeader(v.response, '{"alg":"RSA-OAEP-256","enc":"A256GCM","zip":"DEF"}'), /zip/],
    ['header not JSON', withHeader(v.response, '{"alg":'), /not UTF-8 JSON/],
    ['header an array', withHeader(v.response, '[]'), /not a JSON object/],
    ['aad member', { ...v.response, aad: 'x' }, /aad/],
    ['missing tag', { ...v.response, tag: undefined }, /member tag/],
    ['not an object', 'eyJ9', /not a JSON object/],
    ['null', null, /not a JSON object/],
    ['bad base64url', { ...v.response, ciphertext: 'a+b/' }, /ciphertext is not base64url/],
  ]
  for (const [what, response, message] of cases) {
    assert.throws(() => decryptResponse(response, pair), { ...JWE_ERROR, message }, what)
  }
})
