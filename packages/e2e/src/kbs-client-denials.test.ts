import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createSampleAttester, type Attester } from '@carapace/attester'
import { createKbsClient, KbsClientError, type KbsClient } from '@carapace/kbs-client'
import { upstreamErrorType } from './support/kbs-wire.ts'
import { registerSampleReferenceValues } from './support/sample-reference-values.ts'
import { startTrustPlane, type TrustPlane } from './support/trust-plane.ts'

/** A sample attester whose quote does not carry the report data it was given. */
function tamperingAttester(): Attester {
  const honest = createSampleAttester()
  return {
    tee: honest.tee,
    evidence: (reportData) => honest.evidence(reportData.map((byte) => byte ^ 1)),
  }
}

async function rejection(promise: Promise<unknown>): Promise<KbsClientError> {
  try {
    await promise
  } catch (error) {
    assert.ok(error instanceof KbsClientError, String(error))
    return error
  }
  assert.fail('expected the kbs-client call to fail')
}

describe('the kbs-client library sees the upstream errors', () => {
  let plane: TrustPlane
  const client = (attester: Attester = createSampleAttester()): KbsClient =>
    createKbsClient({ url: plane.kbs.url, attester, fetch: plane.fetch, now: plane.clock.nowMs })

  before(async () => {
    plane = await startTrustPlane()
    const admin = plane.admin(await plane.adminToken())
    await registerSampleReferenceValues(admin)
    await admin.setResource('default/key/one', Buffer.from('client secret'))
  })
  after(() => plane.close())

  it('fails attestation with tampered evidence: 401 AttestationError', async () => {
    const error = await rejection(client(tamperingAttester()).attest())
    assert.equal(error.code, 'ATTESTATION_FAILED')
    assert.equal(error.status, 401)
    assert.equal(error.info?.type, upstreamErrorType('AttestationError'))
    assert.match(error.info.detail, /^RCAR handshake Attest failed: /)
  })

  it('retries a missing resource three times, then reports the PluginInternalError body', async () => {
    const before = plane.logger.entries.filter((e) => e.fields['path'] === '/kbs/v0/attest').length
    const error = await rejection(client().getResource('default/key/absent'))
    assert.equal(error.code, 'UNAUTHORIZED')
    assert.equal(error.status, 401)
    assert.equal(error.info?.type, upstreamErrorType('PluginInternalError'))
    const attests = plane.logger.entries.filter((e) => e.fields['path'] === '/kbs/v0/attest').length - before
    assert.equal(attests, 3)
  })

  it('reports a policy deny with the PolicyDeny body', async () => {
    const admin = plane.admin(await plane.adminToken())
    await admin.setResourcePolicy('package policy\n\ndefault allow := false\n')
    try {
      const error = await rejection(client().getResource('default/key/one'))
      assert.equal(error.info?.type, upstreamErrorType('PolicyDeny'))
      assert.equal(error.info.detail, 'Resource policy denied the request')
    } finally {
      await admin.setResourcePolicy('package policy\n\ndefault allow := true\n')
    }
    assert.equal(Buffer.from(await client().getResource('default/key/one')).toString(), 'client secret')
  })

  it('refuses admin calls with an expired admin token: UNAUTHORIZED with the AdminAuthAccess body', async () => {
    const expired = await plane.adminToken({ ttlSeconds: 60, issuedAtMs: plane.clock.nowMs() - 7_200_000 })
    const error = await rejection(plane.admin(expired).setResourcePolicy('package policy\n'))
    assert.equal(error.code, 'UNAUTHORIZED')
    assert.equal(error.info?.type, upstreamErrorType('AdminAuthAccess'))
    const write = await rejection(plane.admin(expired).setResource('default/key/one', Buffer.from('overwritten')))
    assert.equal(write.info?.type, upstreamErrorType('AdminAuthInitialization'))
    assert.equal(Buffer.from(await client().getResource('default/key/one')).toString(), 'client secret')
  })
})
