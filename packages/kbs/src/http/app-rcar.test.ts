import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decryptResponse } from '@carapace/protocol'
import { kbsFixture, upstreamError } from './app-test-fixture.ts'

const AUTH_BODY = { version: '0.4.0', tee: 'snp', 'extra-params': { 'supported-hash-algorithms': ['sha384'] } }

async function auth(app: Awaited<ReturnType<typeof kbsFixture>>['app'], body: unknown = AUTH_BODY) {
  const response = await app.request('/kbs/v0/auth', { method: 'POST', body: JSON.stringify(body) })
  return response
}

function attestBody(nonce: string, teePubKey: unknown) {
  return JSON.stringify({
    'init-data': null,
    'runtime-data': { nonce, 'tee-pubkey': teePubKey },
    'tee-evidence': { primary_evidence: { quote: 'x' }, additional_evidence: '' },
  })
}

describe('RCAR /auth and /attest', () => {
  it('issues a challenge and a session cookie, stores the upstream session shape', async () => {
    const kbs = await kbsFixture()
    const response = await auth(kbs.app)
    assert.equal(response.status, 200)
    const challenge = (await response.json()) as { nonce: string; 'extra-params': unknown }
    assert.equal(challenge.nonce.length, 44)
    assert.equal(challenge['extra-params'], '')
    const cookie = response.headers.get('set-cookie') ?? ''
    assert.match(cookie, /^kbs-session-id=[0-9a-f]{32}; Expires=Thu, 01 Jan 2026 00:05:00 GMT$/)
    const id = cookie.slice('kbs-session-id='.length, cookie.indexOf(';'))
    const stored = JSON.parse(Buffer.from((await kbs.storage.get('kbs_protocol_session', id)) ?? []).toString()) as {
      Authed: { id: string; timeout: string; challenge: { nonce: string } }
    }
    assert.equal(stored.Authed.id, id)
    assert.equal(stored.Authed.challenge.nonce, challenge.nonce)
    assert.equal(stored.Authed.timeout, '2026-01-01T00:05:00.000Z')
  })

  it('rejects a protocol version other than 0.4.0', async () => {
    const kbs = await kbsFixture()
    const response = await auth(kbs.app, { ...AUTH_BODY, version: '0.3.0' })
    assert.equal(response.status, 401)
    assert.deepEqual(await response.json(), upstreamError('AttestationError', 'KBS Client Protocol Version Mismatch'))
  })

  it('rejects malformed JSON with the upstream body', async () => {
    const kbs = await kbsFixture()
    const response = await kbs.app.request('/kbs/v0/auth', { method: 'POST', body: '{"version":' })
    assert.equal(response.status, 401)
    const body = (await response.json()) as { type: string }
    assert.equal(body.type, upstreamError('AttestationError').type)
  })

  it('attests, returns the token, then the attested session releases a resource as JWE', async () => {
    const kbs = await kbsFixture()
    const authed = await auth(kbs.app)
    const { nonce } = (await authed.json()) as { nonce: string }
    const cookie = (authed.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const attested = await kbs.app.request('/kbs/v0/attest', {
      method: 'POST',
      headers: { cookie },
      body: attestBody(nonce, kbs.teePubKey),
    })
    assert.equal(attested.status, 200)
    assert.deepEqual(await attested.json(), { token: 'affirming-token' })
    assert.equal(kbs.evaluations.length, 1)
    const request = kbs.evaluations.at(0)?.requests.at(0)
    assert.ok(request)
    assert.equal(request.tee, 'snp')
    assert.equal(request.runtimeDataHash, 'sha384')
    assert.deepEqual(Object.keys(request.runtimeData).sort(), ['additional-evidence', 'nonce', 'tee-pubkey'])

    const again = await kbs.app.request('/kbs/v0/attest', { method: 'POST', headers: { cookie }, body: '{}' })
    assert.deepEqual(await again.json(), { token: 'affirming-token' })
    assert.equal(kbs.evaluations.length, 1)

    await kbs.storage.put('repository', 'default/key/one', Buffer.from('secret'))
    const resource = await kbs.app.request('/kbs/v0/resource/default/key/one', { headers: { cookie } })
    assert.equal(resource.status, 200)
    const plaintext = decryptResponse(await resource.json(), kbs.teeKeys)
    assert.equal(Buffer.from(plaintext).toString(), 'secret')
  })

  it('rejects a wrong nonce, an unknown and an expired session', async () => {
    const kbs = await kbsFixture()
    const authed = await auth(kbs.app)
    const cookie = (authed.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const wrong = await kbs.app.request('/kbs/v0/attest', {
      method: 'POST',
      headers: { cookie },
      body: attestBody('bm9uY2U=', kbs.teePubKey),
    })
    assert.equal(wrong.status, 401)
    assert.deepEqual(
      await wrong.json(),
      upstreamError('AttestationError', 'RCAR handshake Attest failed: nonce does not match the challenge'),
    )
    const unknown = await kbs.app.request('/kbs/v0/attest', {
      method: 'POST',
      headers: { cookie: `kbs-session-id=${'0'.repeat(32)}` },
      body: '{}',
    })
    assert.equal(unknown.status, 401)
    kbs.advanceMinutes(6)
    const { nonce } = (await (await auth(kbs.app)).json()) as { nonce: string }
    const expired = await kbs.app.request('/kbs/v0/attest', {
      method: 'POST',
      headers: { cookie },
      body: attestBody(nonce, kbs.teePubKey),
    })
    assert.equal(expired.status, 401)
    assert.deepEqual(
      await expired.json(),
      upstreamError('AttestationError', 'RCAR handshake Attest failed: session not found or expired'),
    )
  })
})
