import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { createSampleAttester } from '@carapace/attester'
import { startCdhServer, type RunningCdh } from '@carapace/data-hub'
import { registerSampleReferenceValues } from './support/sample-reference-values.ts'
import { startTrustPlane, type TrustPlane } from './support/trust-plane.ts'

const initDataFor = (workload: string): string =>
  `version = "0.1.0"\nalgorithm = "sha384"\n\n[data]\nworkload = "${workload}"\n`

/** Releases `default/key/billing` only to guests started with the billing init-data. */
const INIT_DATA_POLICY = `package policy

default allow := false

allow if {
  data["resource-path"] == ["default", "key", "billing"]
  every _, submod in input.submods {
    submod["ear.status"] == "affirming"
  }
  input.submods.cpu0["ear.veraison.annotated-evidence"].init_data_claims.workload == "billing"
}
`

describe('init-data is sent by the CDH, bound into the token, and usable by the resource policy', () => {
  let plane: TrustPlane
  const guests: RunningCdh[] = []
  const startGuest = async (workload: string): Promise<RunningCdh> => {
    const cdh = await startCdhServer({
      kbsUrl: plane.kbs.url,
      kbsCertPem: plane.kbs.certificatePem ?? '',
      listen: '127.0.0.1:0',
      attester: createSampleAttester(),
      initData: initDataFor(workload),
      logger: () => undefined,
    })
    guests.push(cdh)
    return cdh
  }

  before(async () => {
    plane = await startTrustPlane()
    const admin = plane.admin(await plane.adminToken())
    await registerSampleReferenceValues(admin)
    await admin.setResource('default/key/billing', Buffer.from('billing database password'))
    await admin.setResourcePolicy(INIT_DATA_POLICY)
  })
  after(async () => {
    await Promise.all(guests.map((guest) => guest.close()))
    await plane.close()
  })

  it('puts the init-data digest and claims in the token', async () => {
    const guest = await startGuest('billing')
    const response = await fetch(`${guest.url}/aa/token?token_type=kbs`)
    assert.equal(response.status, 200)
    const { token } = JSON.parse(await response.text()) as { token: string }
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      submods: { cpu0: { 'ear.veraison.annotated-evidence': Record<string, unknown> } }
    }
    const annotated = payload.submods.cpu0['ear.veraison.annotated-evidence']
    assert.deepEqual(annotated['init_data_claims'], { workload: 'billing' })
    const digest = createHash('sha384').update(initDataFor('billing')).digest('base64')
    assert.equal(annotated['init_data'], digest)
  })

  it('releases to the guest with the expected init-data and denies another', async () => {
    const billing = await startGuest('billing')
    const released = await fetch(`${billing.url}/cdh/resource/default/key/billing`)
    assert.equal(released.status, 200)
    assert.equal(await released.text(), 'billing database password')
    const other = await startGuest('analytics')
    const denied = await fetch(`${other.url}/cdh/resource/default/key/billing`)
    assert.equal(denied.status, 500)
    assert.ok(plane.logger.mentioning('PolicyDeny').length > 0)
  })
})
