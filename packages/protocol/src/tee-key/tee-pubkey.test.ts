import assert from 'node:assert/strict'
import { test } from 'node:test'
import { base64UrlDecode, base64UrlEncode } from '../jwe/base64url.ts'
import { exportTeePubKey, generateTeeKeyPair } from './tee-key-pair.ts'
import { importTeePubKey } from './tee-pubkey.ts'

const ec = exportTeePubKey(generateTeeKeyPair('EC-P256'))
const p521 = exportTeePubKey(generateTeeKeyPair('EC-P521'))
const rsa = exportTeePubKey(generateTeeKeyPair('RSA-2048'))

function alter(value: string, change: (bytes: Buffer) => Buffer): string {
  return base64UrlEncode(change(base64UrlDecode(value, 'test')))
}

test('valid tee-pubkeys import; extra members are dropped; key objects match', () => {
  for (const jwk of [ec, p521, rsa]) {
    const imported = importTeePubKey({ ...jwk, kid: 'ignored', use: 'enc' })
    assert.deepEqual(imported.jwk, jwk)
    assert.equal(imported.key.type, 'public')
  }
  const rsaWithZero = { ...rsa, n: rsa.kty === 'RSA' ? alter(rsa.n, (n) => Buffer.concat([Buffer.alloc(1), n])) : '' }
  assert.deepEqual(importTeePubKey(rsaWithZero).jwk, rsa)
  assert.equal(importTeePubKey({ ...rsa, alg: 'RSA1_5' }).jwk.alg, 'RSA1_5')
})

test('invalid EC tee-pubkeys are refused with a clear error', () => {
  if (ec.kty !== 'EC' || p521.kty !== 'EC') assert.fail('expected EC keys')
  const cases: [unknown, string, RegExp][] = [
    [{ ...ec, y: alter(ec.y, (b) => (b.writeUInt8(b.readUInt8(31) ^ 1, 31), b)) }, 'MALFORMED', /not a point on P-256/],
    [{ ...ec, x: alter(ec.x, (b) => b.subarray(1)) }, 'MALFORMED', /x is 31 bytes; P-256 needs 32/],
    [{ ...p521, y: alter(p521.y, (b) => b.subarray(1)) }, 'MALFORMED', /y is 65 bytes; P-521 needs 66/],
    [{ ...ec, x: `${ec.x}=` }, 'MALFORMED', /base64url without padding/],
    [{ ...ec, y: undefined }, 'MALFORMED', /member y must be a string/],
    [{ ...ec, crv: 'P-384' }, 'UNSUPPORTED_ALGORITHM', /curve "P-384"/],
    [{ ...ec, crv: p521.crv }, 'MALFORMED', /x is 32 bytes; P-521 needs 66/],
    [{ ...ec, alg: undefined }, 'UNSUPPORTED_ALGORITHM', /alg \(missing\)/],
    [{ ...ec, kty: 'ec' }, 'UNSUPPORTED_ALGORITHM', /kty "ec"/],
    [{ ...ec, kty: 'k'.repeat(500) }, 'UNSUPPORTED_ALGORITHM', /kty "k{40}…" is not supported/],
    [{ ...ec, kty: null }, 'UNSUPPORTED_ALGORITHM', /kty null/],
    [[ec], 'MALFORMED', /JSON object/],
    ['{}', 'MALFORMED', /JSON object/],
  ]
  for (const [value, code, message] of cases) {
    assert.throws(() => importTeePubKey(value), { name: 'ProtocolError', code, message }, JSON.stringify(value))
  }
})

test('invalid RSA tee-pubkeys are refused with a clear error', () => {
  if (rsa.kty !== 'RSA') assert.fail('expected an RSA key')
  const cases: [unknown, string, RegExp][] = [
    [{ ...rsa, n: alter(rsa.n, (n) => n.subarray(0, 128)) }, 'MALFORMED', /modulus is 1024 bits/],
    [{ ...rsa, n: base64UrlEncode(Buffer.alloc(2049, 0xff)) }, 'MALFORMED', /modulus is 16392 bits/],
    [{ ...rsa, e: base64UrlEncode(Buffer.from([1, 0, 0])) }, 'MALFORMED', /exponent must be odd/],
    [{ ...rsa, e: base64UrlEncode(Buffer.from([1])) }, 'MALFORMED', /exponent must be odd/],
    [{ ...rsa, e: base64UrlEncode(Buffer.alloc(9, 1)) }, 'MALFORMED', /exponent/],
    [{ ...rsa, n: 'AAAA' }, 'MALFORMED', /n is zero or empty/],
    [{ ...rsa, n: 5 }, 'MALFORMED', /n must be a string/],
    [{ ...rsa, alg: 'RSA-OAEP' }, 'UNSUPPORTED_ALGORITHM', /alg "RSA-OAEP"/],
  ]
  for (const [value, code, message] of cases) {
    assert.throws(() => importTeePubKey(value), { name: 'ProtocolError', code, message })
  }
})
