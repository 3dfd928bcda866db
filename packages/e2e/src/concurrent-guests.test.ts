import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decryptResponse } from '@carapace/protocol'
import { rawHandshake } from './support/sample-guest.ts'
import { registerSampleReferenceValues } from './support/sample-reference-values.ts'
import { startTrustPlane } from './support/trust-plane.ts'

const GUESTS = 48

describe('many guests at once', () => {
  it('completes every handshake and release when guests attest concurrently', async () => {
    const plane = await startTrustPlane()
    try {
      const admin = plane.admin(await plane.adminToken())
      await registerSampleReferenceValues(admin)
      await admin.setResource('default/key/one', Buffer.from('shared by many'))
      const results = await Promise.all(
        Array.from({ length: GUESTS }, async () => {
          const session = await rawHandshake(plane.wire)
          const response = await plane.wire.request('/kbs/v0/resource/default/key/one', {
            headers: { cookie: session.cookie },
          })
          assert.equal(response.status, 200, response.text)
          return {
            cookie: session.cookie,
            secret: Buffer.from(decryptResponse(response.json, session.teeKey)).toString(),
          }
        }),
      )
      assert.equal(new Set(results.map((r) => r.cookie)).size, GUESTS)
      assert.ok(results.every((r) => r.secret === 'shared by many'))
    } finally {
      await plane.close()
    }
  })
})
