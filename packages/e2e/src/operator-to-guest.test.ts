import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createSampleAttester } from '@carapace/attester'
import { startCdhServer, type RunningCdh } from '@carapace/data-hub'
import { createKbsClient } from '@carapace/kbs-client'
import { upstreamErrorType } from './support/kbs-wire.ts'
import { registerSampleReferenceValues } from './support/sample-reference-values.ts'
import { startTrustPlane, type TrustPlane } from './support/trust-plane.ts'

const SECRET = 'the workload key: 7f3a'
/** Releases only repository `default`, and only to fully affirming tokens. */
const OPERATOR_POLICY = `package policy

default allow := false

allow if {
  data["resource-path"][0] == "default"
  count(input.submods) > 0
  every _, submod in input.submods {
    submod["ear.status"] == "affirming"
  }
}
`

function earPayload(token: string): { submods: Record<string, { 'ear.status': string }> } {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
    submods: Record<string, { 'ear.status': string }>
  }
}

describe('operator stores a secret and a policy; a sample guest attests through the CDH and receives it', () => {
  let plane: TrustPlane
  let cdh: RunningCdh
  const cdhLog: Array<{ level: string; message: string; fields: Record<string, unknown> }> = []

  before(async () => {
    plane = await startTrustPlane({ insecureAllowSampleTee: true })
    const admin = plane.admin(await plane.adminToken())
    await registerSampleReferenceValues(admin)
    await admin.setResource('default/key/one', Buffer.from(SECRET))
    await admin.setResource('restricted/key/one', Buffer.from('not for this guest'))
    await admin.setResourcePolicy(OPERATOR_POLICY)
    cdh = await startCdhServer({
      kbsUrl: plane.kbs.url,
      ...(plane.kbs.certificatePem === undefined ? {} : { kbsCertPem: plane.kbs.certificatePem }),
      listen: '127.0.0.1:0',
      attester: createSampleAttester(),
      now: plane.clock.nowMs,
      logger: (level, message, fields = {}) => cdhLog.push({ level, message, fields }),
    })
  })
  after(async () => {
    await cdh.close()
    await plane.close()
  })

  const attestCount = (): number =>
    plane.logger.entries.filter((e) => e.message === 'request' && e.fields['path'] === '/kbs/v0/attest').length

  it('serves the secret at /cdh/resource over a KBS on HTTPS, attesting once for several reads', async () => {
    assert.match(plane.kbs.url, /^https:\/\/127\.0\.0\.1:\d+$/)
    assert.match(plane.kbs.certificatePem ?? '', /^-----BEGIN CERTIFICATE-----/)
    for (let i = 0; i < 3; i += 1) {
      const response = await fetch(`${cdh.url}/cdh/resource/default/key/one`)
      assert.equal(response.status, 200)
      assert.equal(response.headers.get('content-type'), 'application/octet-stream')
      assert.equal(await response.text(), SECRET)
    }
    assert.equal(attestCount(), 1)
  })

  it('answers 500 for a resource the policy denies, and the KBS logs the PolicyDeny', async () => {
    const response = await fetch(`${cdh.url}/cdh/resource/restricted/key/one`)
    assert.equal(response.status, 500)
    assert.match(await response.text(), /restricted\/key\/one/)
    const failure = cdhLog.find((e) => e.fields['path'] === '/cdh/resource/restricted/key/one')
    assert.equal(failure?.fields['kbsErrorType'], upstreamErrorType('PolicyDeny'))
    assert.ok(plane.logger.mentioning('PolicyDeny').length > 0)
    const again = await fetch(`${cdh.url}/cdh/resource/default/key/one`)
    assert.equal(await again.text(), SECRET)
  })

  it('warns loudly that the sample TEE is allowed, at start and on every sample attestation', () => {
    const insecure = plane.logger.entries.filter((e) => e.level === 'warn' && /INSECURE/.test(e.message))
    assert.ok(insecure.some((e) => /--insecure-allow-sample-tee is on/.test(e.message)))
    assert.ok(insecure.length >= 1 + attestCount())
  })

  it('attests again once the token has expired, and still serves the secret', async () => {
    const before = attestCount()
    plane.clock.advanceMinutes(30)
    const response = await fetch(`${cdh.url}/cdh/resource/default/key/one`)
    assert.equal(response.status, 200)
    assert.equal(await response.text(), SECRET)
    assert.equal(attestCount(), before + 1)
  })

  it('answers 500 for a missing resource', async () => {
    const response = await fetch(`${cdh.url}/cdh/resource/default/key/absent`)
    assert.equal(response.status, 500)
  })

  it('hands the workload an affirming KBS token at /aa/token', async () => {
    const response = await fetch(`${cdh.url}/aa/token?token_type=kbs`)
    assert.equal(response.status, 200)
    const body = JSON.parse(await response.text()) as { token: string; tee_keypair: string }
    assert.equal(earPayload(body.token).submods['cpu0']?.['ear.status'], 'affirming')
    assert.match(body.tee_keypair, /^-----BEGIN /)
  })

  it('releases the same secret to the kbs-client library over HTTPS', async () => {
    const client = createKbsClient({
      url: plane.kbs.url,
      attester: createSampleAttester(),
      fetch: plane.fetch,
      now: plane.clock.nowMs,
    })
    assert.equal(Buffer.from(await client.getResource('default/key/one')).toString(), SECRET)
    assert.equal(earPayload(await client.getToken()).submods['cpu0']?.['ear.status'], 'affirming')
  })
})
