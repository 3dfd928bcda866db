import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createSampleAttester, createSampleDeviceAttester } from '@carapace/attester'
import { createKbsClient, KbsClientError } from '@carapace/kbs-client'
import { upstreamErrorType } from './support/kbs-wire.ts'
import { registerSampleReferenceValues, sampleReferenceValueMessage } from './support/sample-reference-values.ts'
import { startTrustPlane, type TrustPlane } from './support/trust-plane.ts'

/** An operator's device policy: the sample device is genuine when its svn is a registered one. */
const DEVICE_POLICY = `package policy

import rego.v1

default hardware := 97

hardware := 2 if input.sampledevice.svn in query_reference_value("device_svn")

trust_claims := {
  "executables": 3,
  "hardware": hardware,
  "configuration": 2,
}
`

function submodStatuses(token: string): Record<string, string | undefined> {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
    submods: Record<string, { 'ear.status'?: string }>
  }
  return Object.fromEntries(Object.entries(payload.submods).map(([name, submod]) => [name, submod['ear.status']]))
}

describe('a guest with a device: primary and additional evidence in one attestation', () => {
  let plane: TrustPlane
  const guest = () =>
    createKbsClient({
      url: plane.kbs.url,
      attester: createSampleAttester(),
      deviceAttesters: [createSampleDeviceAttester()],
      fetch: plane.fetch,
      now: plane.clock.nowMs,
    })

  before(async () => {
    plane = await startTrustPlane()
    const admin = plane.admin(await plane.adminToken())
    await registerSampleReferenceValues(admin)
    await admin.setResource('default/key/gpu', Buffer.from('needs cpu and device'))
  })
  after(() => plane.close())

  it('appraises the device separately; the default policy denies while the device is not affirming', async () => {
    const client = guest()
    assert.deepEqual(submodStatuses(await client.attest()), { cpu0: 'affirming', gpu0: 'contraindicated' })
    await assert.rejects(client.getResource('default/key/gpu'), (error: unknown) => {
      assert.ok(error instanceof KbsClientError)
      assert.equal(error.info?.type, upstreamErrorType('PolicyDeny'))
      return true
    })
    assert.ok(plane.logger.mentioning('gpu0').some((e) => e.level === 'warn'))
  })

  it('releases once the operator appraises the device by a reference value', async () => {
    const admin = plane.admin(await plane.adminToken())
    await admin.setAttestationPolicy(DEVICE_POLICY, 'default_gpu')
    await admin.setReferenceValue(sampleReferenceValueMessage('device_svn', '2'))
    const client = guest()
    assert.deepEqual(submodStatuses(await client.attest()), { cpu0: 'affirming', gpu0: 'affirming' })
    assert.equal(Buffer.from(await client.getResource('default/key/gpu')).toString(), 'needs cpu and device')
  })

  it('refuses the attestation when the device evidence is not bound to this challenge', async () => {
    const honest = createSampleDeviceAttester()
    const client = createKbsClient({
      url: plane.kbs.url,
      attester: createSampleAttester(),
      deviceAttesters: [{ tee: honest.tee, evidence: (reportData) => honest.evidence(reportData.map((b) => b ^ 1)) }],
      fetch: plane.fetch,
      now: plane.clock.nowMs,
    })
    await assert.rejects(client.attest(), (error: unknown) => {
      assert.ok(error instanceof KbsClientError)
      assert.equal(error.status, 401)
      assert.equal(error.info?.type, upstreamErrorType('AttestationError'))
      return true
    })
  })
})
