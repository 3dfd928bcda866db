import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { upstreamErrorType } from './support/kbs-wire.ts'
import { rawHandshake } from './support/sample-guest.ts'
import { registerSampleReferenceValues } from './support/sample-reference-values.ts'
import { startTrustPlane } from './support/trust-plane.ts'

const DAY_MINUTES = 24 * 60

function earStatus(token: string): string | undefined {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
    submods?: Record<string, { 'ear.status'?: string }>
  }
  return payload.submods?.['cpu0']?.['ear.status']
}

describe('reference values expire (upstream stores the expiry but never checks it)', () => {
  it('releases while the sample reference values are valid, denies once they expired, and says why', async () => {
    const plane = await startTrustPlane()
    try {
      const admin = plane.admin(await plane.adminToken())
      await registerSampleReferenceValues(admin)
      await admin.setResource('default/key/one', Buffer.from('until the values expire'))

      plane.clock.advanceMinutes(300 * DAY_MINUTES)
      const valid = await rawHandshake(plane.wire)
      assert.equal(earStatus(valid.token), 'affirming')
      const released = await plane.wire.request('/kbs/v0/resource/default/key/one', {
        headers: { cookie: valid.cookie },
      })
      assert.equal(released.status, 200, released.text)

      // Registered values live twelve months.
      plane.clock.advanceMinutes(100 * DAY_MINUTES)
      const stale = await rawHandshake(plane.wire)
      assert.notEqual(earStatus(stale.token), 'affirming')
      const denied = await plane.wire.request('/kbs/v0/resource/default/key/one', {
        headers: { cookie: stale.cookie },
      })
      assert.equal(denied.status, 401)
      assert.equal((denied.json as { type?: unknown }).type, upstreamErrorType('PolicyDeny'))
      const appraisal = plane.logger.entries.filter((e) => e.message === 'attestation appraised').at(-1)
      assert.match(String(appraisal?.fields['summary']), /svn=expired/)
    } finally {
      await plane.close()
    }
  })
})
