import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createKbsWire, upstreamErrorType } from './support/kbs-wire.ts'
import { rawHandshake } from './support/sample-guest.ts'
import { snapshotStorage, storageChanges } from './support/storage-snapshot.ts'
import { startTrustPlane, type TrustPlane } from './support/trust-plane.ts'

describe('the KBS over a real socket: oversized and malformed requests', () => {
  let plane: TrustPlane
  before(async () => {
    plane = await startTrustPlane()
  })
  after(() => plane.close())

  it('answers 413 with the KBS body for a body over 2 MiB, writes nothing and keeps serving', async () => {
    const token = await plane.adminToken()
    const before = await snapshotStorage(plane.storageDir)
    const big = new Uint8Array(2 * 1024 * 1024 + 1).fill(0x61)
    for (const path of ['/kbs/v0/auth', '/kbs/v0/attest', '/kbs/v0/resource/default/key/big']) {
      // Each on a connection of its own: the server answers before reading an oversized body but
      // keeps the connection alive, so a request that reuses it at once fails ("socket hang up").
      // Known edge bug: a 413 should say `Connection: close`.
      const oneShot = createKbsWire(plane.kbs.url, plane.kbs.certificatePem)
      const response = await oneShot.request(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: big,
      })
      assert.equal(response.status, 413, path)
      assert.equal((response.json as { type?: unknown }).type, upstreamErrorType('HTTPFailed'), path)
    }
    assert.deepEqual(storageChanges(before, await snapshotStorage(plane.storageDir)), [])
    const { token: attestationToken } = await rawHandshake(plane.wire)
    assert.equal(attestationToken.split('.').length, 3)
  })

  it('accepts a resource of exactly 2 MiB', async () => {
    const exact = new Uint8Array(2 * 1024 * 1024).fill(0x62)
    await plane.admin(await plane.adminToken()).setResource('default/key/exact', exact)
  })

  it('answers malformed JSON with the upstream error and keeps serving', async () => {
    const auth = await plane.wire.postJson('/kbs/v0/auth', '{"version":')
    assert.equal(auth.status, 401)
    assert.equal((auth.json as { type?: unknown }).type, upstreamErrorType('AttestationError'))
    const unknownPlugin = await plane.wire.request('/kbs/v0/no-such-plugin/x')
    assert.equal(unknownPlugin.status, 404)
    assert.equal((unknownPlugin.json as { type?: unknown }).type, upstreamErrorType('PluginNotFound'))
    assert.equal((await plane.wire.request('/healthz')).status, 200)
  })
})
