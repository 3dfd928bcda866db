import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { upstreamErrorType } from './support/kbs-wire.ts'
import { rawHandshake } from './support/sample-guest.ts'
import { snapshotStorage, storageChanges } from './support/storage-snapshot.ts'
import { startTrustPlane, type TrustPlane } from './support/trust-plane.ts'

/** An operator's CPU policy that trusts the sample TEE when its svn is "1", without reference values. */
const SVN_ONE_POLICY = `package policy

import rego.v1

default hardware := 97

hardware := 2 if input.sample.svn == "1"

trust_claims := {
  "executables": 3,
  "hardware": hardware,
  "configuration": 2,
}
`

function earStatus(token: string): string | undefined {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
    submods?: Record<string, { 'ear.status'?: string }>
  }
  return payload.submods?.['cpu0']?.['ear.status']
}

describe('the operator sets the attestation policy over HTTPS', () => {
  let plane: TrustPlane
  before(async () => {
    plane = await startTrustPlane()
  })
  after(() => plane.close())

  it('appraises the sample guest by the uploaded default_cpu policy', async () => {
    assert.notEqual(earStatus((await rawHandshake(plane.wire)).token), 'affirming')
    await plane.admin(await plane.adminToken()).setAttestationPolicy(SVN_ONE_POLICY, 'default_cpu')
    assert.equal(earStatus((await rawHandshake(plane.wire)).token), 'affirming')
  })

  it('refuses a policy that does not compile, keeps the previous one, and keeps serving', async () => {
    const token = await plane.adminToken()
    const before = await snapshotStorage(plane.storageDir)
    const broken = await plane.wire.postJson(
      '/kbs/v0/attestation-policy',
      {
        type: 'rego',
        policy_id: 'default_cpu',
        policy: Buffer.from('package policy\nhardware := if {').toString('base64url'),
      },
      { authorization: `Bearer ${token}` },
    )
    assert.equal(broken.status, 401, broken.text)
    assert.equal((broken.json as { type?: unknown }).type, upstreamErrorType('AttestationError'))
    const padded = await plane.wire.postJson(
      '/kbs/v0/attestation-policy',
      { type: 'rego', policy_id: 'default_cpu', policy: Buffer.from('package policy\n\n').toString('base64') },
      { authorization: `Bearer ${token}` },
    )
    assert.equal(padded.status, 401, padded.text)
    assert.deepEqual(storageChanges(before, await snapshotStorage(plane.storageDir)), [])
    assert.equal(earStatus((await rawHandshake(plane.wire)).token), 'affirming')
  })
})
