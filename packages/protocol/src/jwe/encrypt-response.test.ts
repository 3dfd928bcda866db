import assert from 'node:assert/strict'
import { constants, createDecipheriv, privateDecrypt } from 'node:crypto'
import { test } from 'node:test'
import { FlattenedEncrypt, flattenedDecrypt, importJWK, type JWK } from 'jose'
import { exportTeePubKey, generateTeeKeyPair, type TeeKeyPair, type TeeKeyType } from '../tee-key/tee-key-pair.ts'
import { base64UrlDecode } from './base64url.ts'
import { decryptResponse } from './decrypt-response.ts'
import { encryptResponse } from './encrypt-response.ts'

const KEY_TYPES: TeeKeyType[] = ['EC-P256', 'EC-P521', 'RSA-2048']
const pairs = new Map<TeeKeyType, TeeKeyPair>(KEY_TYPES.map((type) => [type, generateTeeKeyPair(type)]))
const plaintext = new TextEncoder().encode('a KBS resource: {"k":"v"}\n')

function pairOf(type: TeeKeyType): TeeKeyPair {
  return pairs.get(type)!
}

function header(protectedText: string): string {
  return base64UrlDecode(protectedText, 'protected').toString('utf8')
}

test('our encrypt → our decrypt for P-256, P-521 and RSA', () => {
  for (const type of KEY_TYPES) {
    const pair = pairOf(type)
    const jwe = encryptResponse(plaintext, exportTeePubKey(pair))
    assert.deepEqual(Buffer.from(decryptResponse(jwe, pair)), Buffer.from(plaintext), type)
    assert.equal(decryptResponse(encryptResponse(new Uint8Array(0), exportTeePubKey(pair)), pair).length, 0)
  }
})

test('the response has Trustee’s exact shape: members, sizes, header serialisation', () => {
  for (const [type, crv, size] of [
    ['EC-P256', 'P-256', 32],
    ['EC-P521', 'P-521', 66],
  ] as const) {
    const jwe = encryptResponse(plaintext, exportTeePubKey(pairOf(type)))
    assert.deepEqual(Object.keys(jwe), ['protected', 'encrypted_key', 'iv', 'ciphertext', 'tag'])
    const text = header(jwe.protected)
    const pattern = new RegExp(
      `^\\{"alg":"ECDH-ES\\+A256KW","enc":"A256GCM","epk":\\{"crv":"${crv}","kty":"EC","x":"([\\w-]+)","y":"([\\w-]+)"\\}\\}$`,
    )
    const match = pattern.exec(text)
    assert.ok(match, text)
    assert.equal(base64UrlDecode(match[1]!, 'x').length, size)
    assert.equal(base64UrlDecode(match[2]!, 'y').length, size)
    assert.equal(base64UrlDecode(jwe.encrypted_key, 'k').length, 40)
    assert.equal(base64UrlDecode(jwe.iv, 'iv').length, 12)
    assert.equal(base64UrlDecode(jwe.tag, 'tag').length, 16)
    assert.equal(base64UrlDecode(jwe.ciphertext, 'c').length, plaintext.length)
    for (const value of Object.values(jwe) as string[]) assert.match(value, /^[\w-]*$/)
  }
  const rsa = encryptResponse(plaintext, exportTeePubKey(pairOf('RSA-2048')))
  assert.equal(header(rsa.protected), '{"alg":"RSA-OAEP-256","enc":"A256GCM"}')
  assert.equal(base64UrlDecode(rsa.encrypted_key, 'k').length, 256)
})

test('the injected random source supplies the CEK and the IV', () => {
  const pair = pairOf('RSA-2048')
  const requests: number[] = []
  const jwe = encryptResponse(plaintext, exportTeePubKey(pair), {
    random: (length) => {
      requests.push(length)
      return new Uint8Array(length).fill(length)
    },
  })
  assert.deepEqual(requests, [32, 12])
  assert.deepEqual(base64UrlDecode(jwe.iv, 'iv'), Buffer.alloc(12, 12))
  const cek = privateDecrypt(
    { key: pair.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    base64UrlDecode(jwe.encrypted_key, 'k'),
  )
  assert.deepEqual(cek, Buffer.alloc(32, 32))
  assert.throws(() => encryptResponse(plaintext, exportTeePubKey(pair), { random: () => new Uint8Array(3) }), {
    code: 'JWE_ERROR',
  })
})

test('our encrypt → decrypted by jose (P-256, P-521, RSA-OAEP-256)', async () => {
  for (const type of KEY_TYPES) {
    const pair = pairOf(type)
    const jwe = encryptResponse(plaintext, exportTeePubKey(pair))
    const alg = type === 'RSA-2048' ? 'RSA-OAEP-256' : 'ECDH-ES+A256KW'
    const key = await importJWK(pair.privateKey.export({ format: 'jwk' }) as JWK, alg)
    const result = await flattenedDecrypt(jwe, key)
    assert.deepEqual(Buffer.from(result.plaintext), Buffer.from(plaintext), type)
    assert.equal(result.protectedHeader?.alg, alg)
  }
})

test('jose FlattenedEncrypt output → our decrypt (P-256, P-521, RSA-OAEP-256)', async () => {
  for (const type of KEY_TYPES) {
    const pair = pairOf(type)
    const alg = type === 'RSA-2048' ? 'RSA-OAEP-256' : 'ECDH-ES+A256KW'
    const key = await importJWK(exportTeePubKey(pair) as unknown as JWK, alg)
    const jwe = await new FlattenedEncrypt(plaintext).setProtectedHeader({ alg, enc: 'A256GCM' }).encrypt(key)
    assert.deepEqual(Buffer.from(decryptResponse(jwe, pair)), Buffer.from(plaintext), type)
  }
})

test('RSA1_5 keys get a PKCS#1 v1.5 wrapped CEK (checked by raw RSA, as node refuses to unpad it)', () => {
  const pair = pairOf('RSA-2048')
  const jwk = { ...exportTeePubKey(pair), alg: 'RSA1_5' }
  const jwe = encryptResponse(plaintext, jwk)
  assert.equal(header(jwe.protected), '{"alg":"RSA1_5","enc":"A256GCM"}')
  const block = privateDecrypt(
    { key: pair.privateKey, padding: constants.RSA_NO_PADDING },
    base64UrlDecode(jwe.encrypted_key, 'k'),
  )
  // EM = 0x00 || 0x02 || PS (non-zero, ≥ 8 bytes) || 0x00 || CEK (RFC 8017 §7.2.1)
  assert.deepEqual([block[0], block[1]], [0, 2])
  const separator = block.indexOf(0, 2)
  assert.equal(separator, block.length - 33)
  const cek = block.subarray(separator + 1)
  const decipher = createDecipheriv('aes-256-gcm', cek, base64UrlDecode(jwe.iv, 'iv'))
  decipher.setAAD(Buffer.from(jwe.protected, 'ascii'))
  decipher.setAuthTag(base64UrlDecode(jwe.tag, 'tag'))
  const out = Buffer.concat([decipher.update(base64UrlDecode(jwe.ciphertext, 'c')), decipher.final()])
  assert.deepEqual(out, Buffer.from(plaintext))
  assert.throws(() => decryptResponse(jwe, pair), { code: 'JWE_ERROR', message: /RSA1_5 is not supported/ })
})

test('an unusable tee-pubkey is a JWE_ERROR carrying the validation error', () => {
  const ec = exportTeePubKey(pairOf('EC-P256'))
  const cases: [unknown, RegExp][] = [
    [{ ...ec, crv: 'P-384' }, /curve "P-384"/],
    [{ ...ec, alg: 'ECDH-ES' }, /alg "ECDH-ES"/],
    [{ kty: 'OKP', crv: 'X25519', x: 'AA' }, /kty "OKP"/],
    [{ kty: 'AKP', alg: 'ML-KEM-768+A192KW', pub: 'AA' }, /kty "AKP"/],
    [{ ...exportTeePubKey(pairOf('RSA-2048')), alg: 'RSA-OAEP' }, /alg "RSA-OAEP"/],
    [null, /JSON object/],
  ]
  for (const [jwk, message] of cases) {
    assert.throws(() => encryptResponse(plaintext, jwk), { name: 'ProtocolError', code: 'JWE_ERROR', message })
  }
})
