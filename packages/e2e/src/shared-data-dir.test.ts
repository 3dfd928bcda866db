import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { decryptResponse } from '@carapace/protocol'
import { createKbsWire } from './support/kbs-wire.ts'
import { rawAttest, rawAuth, sampleAttestationBody } from './support/sample-guest.ts'
import { registerSampleReferenceValues } from './support/sample-reference-values.ts'
import { startTrustPlane, type TrustPlane } from './support/trust-plane.ts'

describe('two KBS servers on one data dir: no state lives only in one process', () => {
  let plane: TrustPlane
  before(async () => {
    plane = await startTrustPlane()
    const admin = plane.admin(await plane.adminToken())
    await registerSampleReferenceValues(admin)
    await admin.setResource('default/key/shared', Buffer.from('one secret, two servers'))
  })
  after(() => plane.close())

  it('reuses the key material: same certificate and admin key', async () => {
    const replica = await plane.startReplica()
    assert.notEqual(replica.url, plane.kbs.url)
    assert.equal(replica.fingerprintSha256, plane.kbs.fingerprintSha256)
    assert.equal(replica.adminPrivateKeyPath, plane.kbs.adminPrivateKeyPath)
  })

  it('runs /auth on one server, /attest on the other, and releases from the first', async () => {
    const replica = await plane.startReplica()
    const other = createKbsWire(replica.url, replica.certificatePem)
    const session = await rawAuth(plane.wire)
    const attested = await rawAttest(other, session, await sampleAttestationBody(session.nonce, session.teeKey))
    assert.equal(attested.status, 200, attested.text)
    const resource = await plane.wire.request('/kbs/v0/resource/default/key/shared', {
      headers: { cookie: session.cookie },
    })
    assert.equal(resource.status, 200, resource.text)
    assert.equal(Buffer.from(decryptResponse(resource.json, session.teeKey)).toString(), 'one secret, two servers')
  })

  it('serves what the operator stored through the other server, after the first is restarted', async () => {
    const replica = await plane.startReplica()
    const token = await plane.adminToken()
    const other = createKbsWire(replica.url, replica.certificatePem)
    const stored = await other.request('/kbs/v0/resource/default/key/from-replica', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: 'written via the replica',
    })
    assert.equal(stored.status, 200, stored.text)
    await replica.close()
    const restarted = await plane.startReplica()
    const again = createKbsWire(restarted.url, restarted.certificatePem)
    const session = await rawAuth(again)
    const attested = await rawAttest(again, session, await sampleAttestationBody(session.nonce, session.teeKey))
    assert.equal(attested.status, 200, attested.text)
    const resource = await again.request('/kbs/v0/resource/default/key/from-replica', {
      headers: { cookie: session.cookie },
    })
    assert.equal(resource.status, 200, resource.text)
    assert.equal(Buffer.from(decryptResponse(resource.json, session.teeKey)).toString(), 'written via the replica')
  })
})
