import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { decryptResponse } from '@carapace/protocol'
import { upstreamErrorType, type WireResponse } from './support/kbs-wire.ts'
import { rawHandshake } from './support/sample-guest.ts'
import { registerSampleReferenceValues } from './support/sample-reference-values.ts'
import { snapshotStorage, storageChanges } from './support/storage-snapshot.ts'
import { startTrustPlane, type TrustPlane } from './support/trust-plane.ts'

function assertUpstreamError(response: WireResponse, status: number, variant: string, detail?: string | RegExp): void {
  assert.equal(response.status, status, response.text)
  const body = response.json as { type?: unknown; detail?: unknown }
  assert.equal(body.type, upstreamErrorType(variant), response.text)
  if (typeof detail === 'string') assert.equal(body.detail, detail)
  else if (detail !== undefined) assert.match(String(body.detail), detail)
}

const SECRET = 'e2e secret: resource one'

describe('resource release denials over HTTPS', () => {
  let plane: TrustPlane
  before(async () => {
    plane = await startTrustPlane()
    const admin = plane.admin(await plane.adminToken())
    await registerSampleReferenceValues(admin)
    await admin.setResource('default/key/one', Buffer.from(SECRET))
  })
  after(() => plane.close())

  it('releases to an attested session, and to its token as Bearer', async () => {
    const session = await rawHandshake(plane.wire)
    const viaCookie = await plane.wire.request('/kbs/v0/resource/default/key/one', {
      headers: { cookie: session.cookie },
    })
    assert.equal(viaCookie.status, 200, viaCookie.text)
    assert.equal(Buffer.from(decryptResponse(viaCookie.json, session.teeKey)).toString(), SECRET)
    const viaBearer = await plane.wire.request('/kbs/v0/resource/default/key/one', {
      headers: { authorization: `Bearer ${session.token}` },
    })
    assert.equal(viaBearer.status, 200, viaBearer.text)
    assert.equal(Buffer.from(decryptResponse(viaBearer.json, session.teeKey)).toString(), SECRET)
  })

  it('answers TokenNotFound without a token', async () => {
    const response = await plane.wire.request('/kbs/v0/resource/default/key/one')
    assertUpstreamError(response, 401, 'TokenNotFound', 'Attestation Token not found')
  })

  it('answers PluginInternalError for a missing resource', async () => {
    const session = await rawHandshake(plane.wire)
    const response = await plane.wire.request('/kbs/v0/resource/default/key/absent', {
      headers: { cookie: session.cookie },
    })
    assertUpstreamError(response, 401, 'PluginInternalError')
  })

  it('answers TokenVerifierError for a token whose signature was tampered with', async () => {
    const { token } = await rawHandshake(plane.wire)
    const [header = '', payload = '', signature = ''] = token.split('.')
    const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`
    const response = await plane.wire.request('/kbs/v0/resource/default/key/one', {
      headers: { authorization: `Bearer ${header}.${payload}.${flipped}` },
    })
    assertUpstreamError(response, 401, 'TokenVerifierError')
  })

  it('answers TokenVerifierError for an expired attestation token, then serves a fresh one', async () => {
    const { token } = await rawHandshake(plane.wire)
    const exp = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { exp: number }).exp
    const minutesPastExpiry = (exp * 1000 - plane.clock.nowMs()) / 60_000 + 2
    plane.clock.advanceMinutes(minutesPastExpiry)
    const response = await plane.wire.request('/kbs/v0/resource/default/key/one', {
      headers: { authorization: `Bearer ${token}` },
    })
    assertUpstreamError(response, 401, 'TokenVerifierError', /expired/i)
    const fresh = await rawHandshake(plane.wire)
    const again = await plane.wire.request('/kbs/v0/resource/default/key/one', {
      headers: { authorization: `Bearer ${fresh.token}` },
    })
    assert.equal(again.status, 200, again.text)
  })

  it('denies by an operator policy, writes nothing, and keeps serving', async () => {
    const admin = plane.admin(await plane.adminToken())
    await admin.setResource('restricted/key/one', Buffer.from('not for you'))
    await admin.setResourcePolicy(
      'package policy\n\ndefault allow := false\n\nallow if {\n  data["resource-path"][0] == "default"\n}\n',
    )
    const before = await snapshotStorage(plane.storageDir)
    const session = await rawHandshake(plane.wire)
    const denied = await plane.wire.request('/kbs/v0/resource/restricted/key/one', {
      headers: { cookie: session.cookie, 'x-request-id': 'e2e-operator-deny' },
    })
    assertUpstreamError(denied, 401, 'PolicyDeny', 'Resource policy denied the request')
    assert.equal(denied.requestId, 'e2e-operator-deny')
    assert.ok(plane.logger.forRequest('e2e-operator-deny').some((e) => e.level !== 'info'))
    assert.deepEqual(storageChanges(before, await snapshotStorage(plane.storageDir)), [])
    const allowed = await plane.wire.request('/kbs/v0/resource/default/key/one', {
      headers: { cookie: session.cookie },
    })
    assert.equal(allowed.status, 200, allowed.text)
  })
})

describe('the default resource policy and the sample TEE', () => {
  it('denies the sample guest unless the KBS runs with the development flag; the log says why', async () => {
    const plane = await startTrustPlane({ insecureAllowSampleTee: false })
    try {
      const admin = plane.admin(await plane.adminToken())
      await registerSampleReferenceValues(admin)
      await admin.setResource('default/key/one', Buffer.from(SECRET))
      const session = await rawHandshake(plane.wire)
      const before = await snapshotStorage(plane.storageDir)
      const payload = JSON.parse(Buffer.from(session.token.split('.')[1] ?? '', 'base64url').toString()) as {
        submods: Record<string, { 'ear.status': string }>
      }
      assert.notEqual(payload.submods['cpu0']?.['ear.status'], 'affirming')
      const denied = await plane.wire.request('/kbs/v0/resource/default/key/one', {
        headers: { cookie: session.cookie, 'x-request-id': 'e2e-sample-deny' },
      })
      assertUpstreamError(denied, 401, 'PolicyDeny', 'Resource policy denied the request')
      const lines = plane.logger.forRequest('e2e-sample-deny')
      const explained = lines.map((e) => `${e.message} ${JSON.stringify(e.fields)}`).join('\n')
      assert.ok(lines.some((e) => e.level === 'warn'))
      assert.match(explained, /PolicyDeny/)
      assert.match(explained, /data\.policy\.allow/)
      assert.match(explained, /ear\.status/)
      assert.match(explained, /contraindicated/)
      // The attestation service's result says why the sample guest is not affirming.
      const appraisal = plane.logger.entries.find((e) => e.message === 'attestation appraised')
      assert.match(String(appraisal?.fields['summary']), /hardware=97 \(sample TEE gate\)/)
      assert.deepEqual(storageChanges(before, await snapshotStorage(plane.storageDir)), [])
    } finally {
      await plane.close()
    }
  })
})

describe('tokens from another trust plane', () => {
  it('are refused: each KBS trusts only its own token certificate', async () => {
    const ours = await startTrustPlane()
    const theirs = await startTrustPlane()
    try {
      const admin = ours.admin(await ours.adminToken())
      await registerSampleReferenceValues(admin)
      await admin.setResource('default/key/one', Buffer.from(SECRET))
      const { token } = await rawHandshake(theirs.wire)
      const response = await ours.wire.request('/kbs/v0/resource/default/key/one', {
        headers: { authorization: `Bearer ${token}` },
      })
      assertUpstreamError(response, 401, 'TokenVerifierError')
    } finally {
      await ours.close()
      await theirs.close()
    }
  })
})
