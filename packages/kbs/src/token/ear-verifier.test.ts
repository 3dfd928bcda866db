import assert from 'node:assert/strict'
import { X509Certificate, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { SignJWT } from 'jose'
import { createEarVerifier } from './ear-verifier.ts'

const FIXTURES = new URL('../../fixtures/token/', import.meta.url)
const CA_PEM = readFileSync(new URL('ca.pem', FIXTURES), 'utf8')
const LEAF = new X509Certificate(readFileSync(new URL('leaf.pem', FIXTURES)))
const LEAF_KEY = createPrivateKey(readFileSync(new URL('leaf.key', FIXTURES), 'utf8'))
const NOW = new Date('2030-01-01T00:00:00Z')
const EXP = Math.floor(NOW.getTime() / 1000) + 300

function sign(key: KeyObject, claims: Record<string, unknown>, x5c?: string[]): Promise<string> {
  const jwk = { ...LEAF.publicKey.export({ format: 'jwk' }), alg: 'ES256' }
  const publicJwk =
    key === LEAF_KEY
      ? jwk
      : { ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }), alg: 'ES256' }
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', jwk: publicJwk, ...(x5c === undefined ? {} : { x5c }) })
    .sign(key)
}

const leafX5c = [LEAF.raw.toString('base64')]

describe('createEarVerifier', () => {
  it('accepts a token whose x5c chain ends at a trusted CA', async () => {
    const verifier = createEarVerifier({ trustedCertsPem: [CA_PEM], insecureHeaderJwk: false, now: () => NOW })
    const claims = await verifier.verify(await sign(LEAF_KEY, { exp: EXP, eat_profile: 'x' }, leafX5c))
    assert.equal(claims['eat_profile'], 'x')
  })

  it('rejects a token without x5c unless the header jwk is trusted insecurely', async () => {
    const token = await sign(LEAF_KEY, { exp: EXP })
    const strict = createEarVerifier({ trustedCertsPem: [CA_PEM], insecureHeaderJwk: false, now: () => NOW })
    await assert.rejects(strict.verify(token), { code: 'TOKEN_VERIFIER' })
    const insecure = createEarVerifier({ trustedCertsPem: [], insecureHeaderJwk: true, now: () => NOW })
    assert.equal((await insecure.verify(token))['exp'], EXP)
  })

  it('rejects expired tokens beyond the 60 s leeway, tokens without exp and untrusted chains', async () => {
    const verifier = createEarVerifier({ trustedCertsPem: [CA_PEM], insecureHeaderJwk: false, now: () => NOW })
    const nowSeconds = Math.floor(NOW.getTime() / 1000)
    assert.ok(await verifier.verify(await sign(LEAF_KEY, { exp: nowSeconds - 30 }, leafX5c)))
    await assert.rejects(verifier.verify(await sign(LEAF_KEY, { exp: nowSeconds - 120 }, leafX5c)), {
      code: 'TOKEN_VERIFIER',
    })
    await assert.rejects(verifier.verify(await sign(LEAF_KEY, {}, leafX5c)), { code: 'TOKEN_VERIFIER' })
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
    await assert.rejects(verifier.verify(await sign(other, { exp: EXP }, leafX5c)), { code: 'TOKEN_VERIFIER' })
    const selfTrusting = createEarVerifier({
      trustedCertsPem: [LEAF.toString()],
      insecureHeaderJwk: false,
      now: () => NOW,
    })
    assert.ok(await selfTrusting.verify(await sign(LEAF_KEY, { exp: EXP }, leafX5c)))
    assert.throws(() => createEarVerifier({ trustedCertsPem: [], insecureHeaderJwk: false }), {
      code: 'TOKEN_VERIFIER',
    })
  })

  it('checks the signature and the certificate dates of every token, with the key and chain already trusted', async () => {
    let now = NOW
    const verifier = createEarVerifier({ trustedCertsPem: [CA_PEM], insecureHeaderJwk: false, now: () => now })
    const token = await sign(LEAF_KEY, { exp: EXP }, leafX5c)
    assert.equal((await verifier.verify(token))['exp'], EXP)
    // Same header (cached key and chain), other payload with the old signature: rejected.
    const [head, , signature] = token.split('.')
    const forged = `${head ?? ''}.${Buffer.from(JSON.stringify({ exp: EXP + 1 })).toString('base64url')}.${signature ?? ''}`
    await assert.rejects(verifier.verify(forged), { code: 'TOKEN_VERIFIER' })
    assert.equal((await verifier.verify(token))['exp'], EXP)
    // Before the leaf's notBefore (the cached chain is re-dated on each token).
    now = new Date('2026-11-30T00:00:00Z')
    await assert.rejects(
      verifier.verify(await sign(LEAF_KEY, { exp: Math.floor(now.getTime() / 1000) + 300 }, leafX5c)),
      {
        code: 'TOKEN_VERIFIER',
        message: /is not valid now/,
      },
    )
  })

  it('trusts a header key only for the chain it was checked with', async () => {
    const verifier = createEarVerifier({ trustedCertsPem: [CA_PEM], insecureHeaderJwk: false, now: () => NOW })
    assert.ok(await verifier.verify(await sign(LEAF_KEY, { exp: EXP }, leafX5c)))
    await assert.rejects(verifier.verify(await sign(LEAF_KEY, { exp: EXP })), { code: 'TOKEN_VERIFIER' })
    await assert.rejects(verifier.verify(await sign(LEAF_KEY, { exp: EXP }, [])), { code: 'TOKEN_VERIFIER' })
  })
})
