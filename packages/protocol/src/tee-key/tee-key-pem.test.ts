import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { test } from 'node:test'
import { loadJweVectors } from '../jwe/jwe-vectors-test-support.ts'
import { exportTeePubKey, generateTeeKeyPair, type TeeKeyType } from './tee-key-pair.ts'
import { teeKeyPairFromPem, teeKeyPairToPem } from './tee-key-pem.ts'

test('PEM round trip: PKCS#1 for RSA, PKCS#8 for EC', () => {
  const labels: Record<TeeKeyType, string> = {
    'EC-P256': 'PRIVATE KEY',
    'EC-P521': 'PRIVATE KEY',
    'RSA-2048': 'RSA PRIVATE KEY',
  }
  for (const [type, label] of Object.entries(labels)) {
    const pair = generateTeeKeyPair(type as TeeKeyType)
    const pem = teeKeyPairToPem(pair)
    assert.ok(pem.startsWith(`-----BEGIN ${label}-----\n`), type)
    const back = teeKeyPairFromPem(pem)
    assert.deepEqual(exportTeePubKey(back), exportTeePubKey(pair), type)
    assert.equal(teeKeyPairToPem(back), pem)
  }
})

test('the vector PEMs (PKCS#8 P-256/P-521, PKCS#1 RSA) parse', () => {
  const kinds = loadJweVectors().map((v) => {
    const pair = teeKeyPairFromPem(v.privateKeyPem)
    return pair.kty === 'EC' ? pair.curve : pair.kty
  })
  assert.deepEqual(kinds, ['P-256', 'P-521', 'RSA'])
})

test('encodings and keys guest-components refuses are refused', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey
  const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey
  const ed = generateKeyPairSync('ed25519').privateKey
  const cases: [string, string, string, RegExp][] = [
    ['SEC1 EC', ec.export({ type: 'sec1', format: 'pem' }).toString(), 'MALFORMED', /PKCS#1 .*PKCS#8/],
    ['PKCS#8 RSA', rsa.export({ type: 'pkcs8', format: 'pem' }).toString(), 'UNSUPPORTED_ALGORITHM', /EC key/],
    ['P-384', p384.export({ type: 'pkcs8', format: 'pem' }).toString(), 'UNSUPPORTED_ALGORITHM', /secp384r1/],
    ['Ed25519', ed.export({ type: 'pkcs8', format: 'pem' }).toString(), 'UNSUPPORTED_ALGORITHM', /EC key/],
    ['RSA-1024', small.export({ type: 'pkcs1', format: 'pem' }).toString(), 'MALFORMED', /1024/],
    ['garbage body', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', 'MALFORMED', /PKCS8/],
    ['not PEM', 'hello', 'MALFORMED', /PEM/],
  ]
  for (const [what, pem, code, message] of cases) {
    assert.throws(() => teeKeyPairFromPem(pem), { name: 'ProtocolError', code, message }, what)
  }
})
