import assert from 'node:assert/strict'
import { generateKeyPairSync, sign } from 'node:crypto'
import { describe, test } from 'node:test'
import { SignJWT, jwtVerify } from 'jose'
import { KbsError } from '../http/errors.ts'
import { verifyEs256Jwt } from './verify-es256-jwt.ts'

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey
const NOW = new Date('2026-12-02T00:00:00Z')
const nowS = NOW.getTime() / 1000
const check = { leewaySeconds: 60, now: NOW }

const b64u = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
function handMade(header: Record<string, unknown>, payload: unknown): string {
  const input = `${b64u(header)}.${b64u(payload)}`
  const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' })
  return `${input}.${signature.toString('base64url')}`
}
const joseToken = (claims: Record<string, unknown>): Promise<string> =>
  new SignJWT(claims).setProtectedHeader({ alg: 'ES256' }).sign(privateKey)

function rejects(token: string, code: RegExp, key = publicKey): void {
  assert.throws(
    () => verifyEs256Jwt(token, key, check),
    (error: unknown) => error instanceof KbsError && error.code === 'TOKEN_VERIFIER' && code.test(error.message),
  )
}

describe('verifyEs256Jwt', () => {
  test('accepts what jose accepts and returns the same claims', async () => {
    const token = await joseToken({ exp: nowS + 300, iat: nowS, nbf: nowS, sub: 'x', nested: { a: [1] } })
    const ours = verifyEs256Jwt(token, publicKey, check)
    const { payload } = await jwtVerify(token, publicKey, { algorithms: ['ES256'], currentDate: NOW })
    assert.deepEqual(ours, payload)
  })

  test('exp: required, a number, and checked with the leeway', async () => {
    rejects(await joseToken({ sub: 'x' }), /ERR_JWT_CLAIM_VALIDATION_FAILED.*exp/)
    rejects(handMade({ alg: 'ES256' }, { exp: 'soon' }), /ERR_JWT_CLAIM_VALIDATION_FAILED/)
    rejects(await joseToken({ exp: nowS - 61 }), /ERR_JWT_EXPIRED/)
    rejects(await joseToken({ exp: nowS - 60 }), /ERR_JWT_EXPIRED/)
    assert.equal(verifyEs256Jwt(await joseToken({ exp: nowS - 59 }), publicKey, check)['exp'], nowS - 59)
  })

  test('nbf and iat: numbers; nbf in the future beyond the leeway is refused', async () => {
    rejects(await joseToken({ exp: nowS + 300, nbf: nowS + 61 }), /ERR_JWT_CLAIM_VALIDATION_FAILED.*nbf/)
    assert.ok(verifyEs256Jwt(await joseToken({ exp: nowS + 300, nbf: nowS + 60 }), publicKey, check))
    rejects(handMade({ alg: 'ES256' }, { exp: nowS + 300, iat: '1' }), /ERR_JWT_CLAIM_VALIDATION_FAILED.*iat/)
  })

  test('the algorithm is pinned to ES256, crit and b64=false are refused', () => {
    const claims = { exp: nowS + 300 }
    rejects(handMade({ alg: 'ES384' }, claims), /ERR_JOSE_ALG_NOT_ALLOWED/)
    rejects(handMade({ alg: 'none' }, claims), /ERR_JOSE_ALG_NOT_ALLOWED/)
    rejects(handMade({ alg: 'ES256', crit: ['x'], x: 1 }, claims), /ERR_JOSE_NOT_SUPPORTED/)
    rejects(handMade({ alg: 'ES256', b64: false, crit: ['b64'] }, claims), /ERR_JOSE_NOT_SUPPORTED/)
  })

  test('a wrong key, a changed payload or a malformed signature is refused', async () => {
    const token = await joseToken({ exp: nowS + 300, sub: 'a' })
    rejects(token, /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/, other)
    const [h, , s] = token.split('.')
    rejects(`${String(h)}.${b64u({ exp: nowS + 300, sub: 'b' })}.${String(s)}`, /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/)
    rejects(`${String(h)}.${b64u({ exp: nowS + 300, sub: 'a' })}.${String(s).slice(2)}`, /ERR_JWS/)
    rejects(`${String(h)}.${b64u({ exp: nowS + 300, sub: 'a' })}.${String(s)}=`, /ERR_JWS_INVALID/)
    // DER instead of r||s: jose refuses it too.
    const der = sign('sha256', Buffer.from(`${String(h)}.${String(token.split('.')[1])}`), privateKey)
    rejects(`${String(h)}.${String(token.split('.')[1])}.${der.toString('base64url')}`, /ERR_JWS_SIGNATURE/)
  })

  test('malformed tokens: part count, header and payload not JSON objects', () => {
    rejects('a.b', /ERR_JWS_INVALID/)
    rejects('a.b.c.d', /ERR_JWS_INVALID/)
    rejects(`${Buffer.from('[1]').toString('base64url')}.e30.AA`, /ERR_JWS_INVALID/)
    rejects(handMade({ alg: 'ES256' }, [1, 2]), /ERR_JWT_INVALID/)
    rejects(handMade({ alg: 'ES256' }, 'text'), /ERR_JWT_INVALID/)
  })
})
