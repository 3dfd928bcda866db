import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { test } from 'node:test'
import { decodeProtectedHeader, importSPKI, jwtVerify } from 'jose'
import { mintAdminToken } from './admin-token.ts'
import { KbsClientError } from './kbs-client-error.ts'

const NOW_MS = Date.parse('2026-06-01T12:00:00Z')

function pems(type: 'ed25519' | 'ec'): { privatePem: string; publicPem: string } {
  const pair =
    type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  return {
    privatePem: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicPem: pair.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  }
}

test('Ed25519 key → EdDSA JWT with upstream reference header and claims, verifiable by jose', async () => {
  const { privatePem, publicPem } = pems('ed25519')
  const token = mintAdminToken(privatePem, { iss: 'carapace-admin', ttlSeconds: 3600, now: () => NOW_MS })
  const [header = '', payload = ''] = token.split('.')
  assert.equal(Buffer.from(header, 'base64url').toString(), '{"alg":"EdDSA","typ":"JWT"}')
  const iat = NOW_MS / 1000
  assert.equal(
    Buffer.from(payload, 'base64url').toString(),
    `{"iss":"carapace-admin","role":"admin","aud":["kbs"],"iat":${String(iat)},"exp":${String(iat + 3600)}}`,
  )
  const key = await importSPKI(publicPem, 'EdDSA')
  const verified = await jwtVerify(token, key, {
    audience: 'kbs',
    issuer: 'carapace-admin',
    currentDate: new Date(NOW_MS),
  })
  assert.equal(verified.payload['role'], 'admin')
})

test('EC P-256 key → ES256; custom role and audience; no iss when not given', async () => {
  const { privatePem, publicPem } = pems('ec')
  const token = mintAdminToken(privatePem, { role: 'reader', aud: ['kbs', 'other'], ttlSeconds: 60, now: () => NOW_MS })
  assert.deepEqual(decodeProtectedHeader(token), { alg: 'ES256', typ: 'JWT' })
  const key = await importSPKI(publicPem, 'ES256')
  const { payload } = await jwtVerify(token, key, { currentDate: new Date(NOW_MS) })
  assert.deepEqual(payload, { role: 'reader', aud: ['kbs', 'other'], iat: NOW_MS / 1000, exp: NOW_MS / 1000 + 60 })
})

test('bad keys and TTLs are INVALID_ARGUMENT', () => {
  const isInvalid = (error: unknown) => error instanceof KbsClientError && error.code === 'INVALID_ARGUMENT'
  assert.throws(() => mintAdminToken('not a pem', { ttlSeconds: 60 }), isInvalid)
  assert.throws(() => mintAdminToken(pems('ed25519').privatePem, { ttlSeconds: 0 }), isInvalid)
})
