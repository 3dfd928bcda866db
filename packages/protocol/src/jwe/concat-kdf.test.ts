import assert from 'node:assert/strict'
import { test } from 'node:test'
import { aes256KeyUnwrap, aes256KeyWrap } from './aes-key-wrap.ts'
import { base64UrlDecode } from './base64url.ts'
import { concatKdfSha256 } from './concat-kdf.ts'
import { loadJweVectors } from './jwe-vectors-test-support.ts'

const ecVectors = loadJweVectors().filter((v) => v.zHex !== undefined)

test('Concat KDF derives the vector KEK from Z (P-256 and P-521)', () => {
  assert.equal(ecVectors.length, 2)
  for (const v of ecVectors) {
    const kek = concatKdfSha256(Buffer.from(v.zHex!, 'hex'), 'ECDH-ES+A256KW', 256)
    assert.equal(kek.toString('hex'), v.kekHex, v.name)
  }
})

test('AES-256 key wrap reproduces the vector encrypted_key and RFC 3394 §4.6', () => {
  for (const v of ecVectors) {
    const kek = Buffer.from(v.kekHex!, 'hex')
    const wrapped = aes256KeyWrap(kek, Buffer.from(v.cekHex!, 'hex'))
    assert.deepEqual(wrapped, base64UrlDecode(v.response.encrypted_key, 'encrypted_key'), v.name)
    assert.equal(aes256KeyUnwrap(kek, wrapped).toString('hex'), v.cekHex)
  }
  const rfcKek = Buffer.from('000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F', 'hex')
  const rfcKey = Buffer.from('00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F', 'hex')
  assert.equal(
    aes256KeyWrap(rfcKek, rfcKey).toString('hex').toUpperCase(),
    '28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21',
  )
})

test('AES key unwrap refuses an altered or badly sized wrapped key', () => {
  const kek = Buffer.alloc(32, 1)
  const wrapped = aes256KeyWrap(kek, Buffer.alloc(32, 2))
  wrapped[5]! ^= 1
  assert.throws(() => aes256KeyUnwrap(kek, wrapped), { name: 'ProtocolError', code: 'JWE_ERROR' })
  assert.throws(() => aes256KeyUnwrap(kek, Buffer.alloc(39)), { code: 'JWE_ERROR' })
  assert.throws(() => aes256KeyUnwrap(kek, Buffer.alloc(16)), { code: 'JWE_ERROR' })
})
