import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createKbsAdminClient, createNodeFetch, mintAdminToken, type KbsAdminClient } from '@carapace/kbs-client'
import { startKbsServer, type KbsLogger, type RunningKbs } from '@carapace/kbs'
import type { CdhLogLevel } from './cdh-logger.ts'
import { startCdhServer, type RunningCdh } from './cdh-server.ts'

const SAMPLE_REFERENCE_VALUES = { launch_digest: ['abcde'], svn: ['1'], major_version: 1, minimum_minor_version: 0 }
const kbsLines: { message: string; fields: Record<string, unknown> }[] = []
const kbsLogger: KbsLogger = {
  log: (_level, message, fields) => {
    kbsLines.push({ message, fields })
  },
}

describe('CDH in front of the real KBS over loopback HTTPS', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'carapace-cdh-kbs-'))
  const cdhLogs: { level: CdhLogLevel; message: string; fields: Record<string, unknown> }[] = []
  let kbs: RunningKbs
  let cdh: RunningCdh
  let admin: KbsAdminClient

  before(async () => {
    kbs = await startKbsServer({ dataDir, listen: '127.0.0.1:0', insecureAllowSampleTee: true, logger: kbsLogger })
    const token = mintAdminToken(readFileSync(kbs.adminPrivateKeyPath ?? '', 'utf8'), { ttlSeconds: 300 })
    admin = createKbsAdminClient({ url: kbs.url, token, fetch: createNodeFetch({ ca: kbs.certificatePem ?? '' }) })
    await admin.setReferenceValue({
      version: '0.1.0',
      type: 'sample',
      payload: Buffer.from(JSON.stringify(SAMPLE_REFERENCE_VALUES)).toString('base64'),
    })
    await admin.setResource('default/key/one', new TextEncoder().encode('the answer is 42'))
    await admin.setResource('default/key/two', Uint8Array.from([0, 255, 1, 254]))
    cdh = await startCdhServer({
      kbsUrl: kbs.url,
      kbsCertPem: kbs.certificatePem ?? '',
      listen: '127.0.0.1:0',
      logger: (level, message, fields = {}) => cdhLogs.push({ level, message, fields }),
    })
  })
  after(async () => {
    await cdh.close()
    await kbs.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('releases secrets to the sample guest, concurrently, with one token', async () => {
    const [one, two, again] = await Promise.all([
      fetch(`${cdh.url}/cdh/resource/default/key/one`),
      fetch(`${cdh.url}/cdh/resource/default/key/two`),
      fetch(`${cdh.url}/cdh/resource/default/key/one`),
    ])
    assert.equal(one.status, 200)
    assert.equal(await one.text(), 'the answer is 42')
    assert.deepEqual(new Uint8Array(await two.arrayBuffer()), Uint8Array.from([0, 255, 1, 254]))
    assert.equal(await again.text(), 'the answer is 42')
    const token = (await (await fetch(`${cdh.url}/aa/token?token_type=kbs`)).json()) as { token: string }
    const claims = JSON.parse(Buffer.from(token.token.split('.')[1] ?? '', 'base64url').toString()) as {
      submods: Record<string, { 'ear.status': string }>
    }
    assert.equal(claims.submods['cpu0']?.['ear.status'], 'affirming')
  })

  it('a KBS certificate that is not trusted is a 500 naming the TLS failure', async () => {
    const untrusting = await startCdhServer({ kbsUrl: kbs.url, listen: '127.0.0.1:0', logger: () => undefined })
    try {
      const got = await fetch(`${untrusting.url}/cdh/resource/default/key/one`)
      assert.equal(got.status, 500)
      assert.match(await got.text(), /POST https:\/\/127\.0\.0\.1:[0-9]+\/kbs\/v0\/auth: self[- ]signed certificate/)
    } finally {
      await untrusting.close()
    }
  })

  it('a missing resource and a policy denial are 500s that carry the KBS reason', async () => {
    const missing = await fetch(`${cdh.url}/cdh/resource/default/key/none`)
    assert.equal(missing.status, 500)
    // Trustee answers a missing resource 401 (PluginInternalError); the client re-attests twice, then gives up.
    assert.match(
      await missing.text(),
      /default\/key\/none failed: .*still unauthorized after 3 attempts \(last answer: .+\)/,
    )
    await admin.setResourcePolicy('package policy\n\ndefault allow := false\n')
    const denied = await fetch(`${cdh.url}/cdh/resource/default/key/one`)
    assert.equal(denied.status, 500)
    assert.match(
      await denied.text(),
      /still unauthorized after 3 attempts \(last answer: Resource policy denied the request, .*PolicyDeny\)/,
    )
    const logged = cdhLogs.find((l) => String(l.fields['kbsErrorType']).endsWith('PolicyDeny'))
    assert.equal(logged?.fields['kbsStatus'], 401)
    // The operator finds the KBS's side of this denial under the CDH's request id.
    const requestId = logged.fields['requestId']
    assert.equal(denied.headers.get('x-request-id'), requestId)
    const kbsSide = kbsLines.filter((l) => l.fields['requestId'] === requestId).map((l) => JSON.stringify(l))
    assert.ok(
      kbsSide.some((l) => l.includes('PolicyDeny')),
      kbsSide.join('\n'),
    )
  })
})
