import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { snapshotStorage, storageChanges } from './support/storage-snapshot.ts'
import { upstreamErrorType, type WireResponse } from './support/kbs-wire.ts'
import { rawAttest, rawAuth, rawHandshake, sampleAttestationBody, sampleAuthBody } from './support/sample-guest.ts'
import { startTrustPlane, type TrustPlane } from './support/trust-plane.ts'

function assertUpstreamError(response: WireResponse, status: number, variant: string, detail?: string | RegExp): void {
  assert.equal(response.status, status, response.text)
  const body = response.json as { type?: unknown; detail?: unknown }
  assert.equal(body.type, upstreamErrorType(variant), response.text)
  assert.equal(typeof body.detail, 'string', response.text)
  if (typeof detail === 'string') assert.equal(body.detail, detail)
  else if (detail !== undefined) assert.match(String(body.detail), detail)
}

/** The KBS still completes an honest handshake, and the denial wrote nothing outside sessions. */
async function assertStillServingAndUnchanged(plane: TrustPlane, before: Map<string, string>): Promise<void> {
  assert.deepEqual(storageChanges(before, await snapshotStorage(plane.storageDir)), [])
  const healthz = await plane.wire.request('/healthz')
  assert.equal(healthz.status, 200)
  const { token } = await rawHandshake(plane.wire)
  assert.equal(token.split('.').length, 3)
}

describe('RCAR denials over HTTPS give the upstream error and change nothing', () => {
  let plane: TrustPlane
  before(async () => {
    plane = await startTrustPlane()
  })
  after(() => plane.close())

  it('refuses a protocol version other than 0.4.0', async () => {
    const before = await snapshotStorage(plane.storageDir)
    for (const version of ['0.3.0', '0.4.1', '1.0.0']) {
      const response = await plane.wire.postJson('/kbs/v0/auth', sampleAuthBody({ version }))
      assertUpstreamError(response, 401, 'AttestationError', 'KBS Client Protocol Version Mismatch')
      assert.equal(response.sessionCookie, undefined)
    }
    await assertStillServingAndUnchanged(plane, before)
  })

  it('refuses an unknown TEE', async () => {
    const before = await snapshotStorage(plane.storageDir)
    for (const tee of ['sev', 'SAMPLE', 'no-such-tee']) {
      const response = await plane.wire.postJson('/kbs/v0/auth', sampleAuthBody({ tee }))
      assertUpstreamError(response, 401, 'AttestationError', /^RCAR handshake Auth failed: .*unknown TEE/)
      assert.equal(response.sessionCookie, undefined)
    }
    await assertStillServingAndUnchanged(plane, before)
  })

  it('refuses runtime data carrying another nonce than the challenge', async () => {
    const before = await snapshotStorage(plane.storageDir)
    const session = await rawAuth(plane.wire)
    const other = Buffer.alloc(32, 7).toString('base64')
    const response = await rawAttest(plane.wire, session, await sampleAttestationBody(other, session.teeKey))
    assertUpstreamError(
      response,
      401,
      'AttestationError',
      'RCAR handshake Attest failed: nonce does not match the challenge',
    )
    await assertStillServingAndUnchanged(plane, before)
  })

  it('refuses evidence bound to another nonce (replayed from an earlier challenge)', async () => {
    const before = await snapshotStorage(plane.storageDir)
    const earlier = await rawAuth(plane.wire)
    const session = await rawAuth(plane.wire)
    const body = await sampleAttestationBody(session.nonce, session.teeKey, { boundNonce: earlier.nonce })
    const response = await rawAttest(plane.wire, session, body)
    assertUpstreamError(response, 401, 'AttestationError', /^RCAR handshake Attest failed: .*report data/)
    await assertStillServingAndUnchanged(plane, before)
  })

  it('refuses tampered evidence', async () => {
    const before = await snapshotStorage(plane.storageDir)
    const session = await rawAuth(plane.wire)
    const body = await sampleAttestationBody(session.nonce, session.teeKey, { tamperReportData: true })
    const response = await plane.wire.postJson('/kbs/v0/attest', body, {
      cookie: session.cookie,
      'x-request-id': 'e2e-tampered',
    })
    assertUpstreamError(response, 401, 'AttestationError', /^RCAR handshake Attest failed: .*report data/)
    // The operator's log says the same, under the request id.
    const logged = plane.logger.forRequest('e2e-tampered').filter((e) => e.level === 'warn')
    assert.ok(
      logged.some((e) => /report data/.test(String(e.fields['detail']))),
      JSON.stringify(logged),
    )
    // The session stays unattested: it cannot fetch a resource.
    const resource = await plane.wire.request('/kbs/v0/resource/default/key/one', {
      headers: { cookie: session.cookie },
    })
    assertUpstreamError(resource, 401, 'TokenNotFound', 'Attestation Token not found')
    await assertStillServingAndUnchanged(plane, before)
  })

  it('refuses /attest without a session cookie or with an unknown one', async () => {
    const before = await snapshotStorage(plane.storageDir)
    const session = await rawAuth(plane.wire)
    const body = await sampleAttestationBody(session.nonce, session.teeKey)
    const none = await plane.wire.postJson('/kbs/v0/attest', body)
    assertUpstreamError(none, 401, 'AttestationError', 'RCAR handshake Attest failed: session not found or expired')
    const unknown = await plane.wire.postJson('/kbs/v0/attest', body, { cookie: `kbs-session-id=${'a'.repeat(32)}` })
    assertUpstreamError(unknown, 401, 'AttestationError', 'RCAR handshake Attest failed: session not found or expired')
    await assertStillServingAndUnchanged(plane, before)
  })
})

describe('an expired RCAR session', () => {
  it('is refused with the upstream error once the session timeout has passed', async () => {
    const plane = await startTrustPlane()
    try {
      const session = await rawAuth(plane.wire)
      assert.match(session.cookie, /^kbs-session-id=[0-9a-f]{32}$/)
      plane.clock.advanceMinutes(5.1)
      const before = await snapshotStorage(plane.storageDir)
      const response = await rawAttest(plane.wire, session, await sampleAttestationBody(session.nonce, session.teeKey))
      assertUpstreamError(
        response,
        401,
        'AttestationError',
        'RCAR handshake Attest failed: session not found or expired',
      )
      await assertStillServingAndUnchanged(plane, before)
    } finally {
      await plane.close()
    }
  })
})
