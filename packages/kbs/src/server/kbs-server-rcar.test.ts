import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { createSampleAttester } from '@carapace/attester'
import { createKbsAdminClient, createKbsClient, createNodeFetch, mintAdminToken } from '@carapace/kbs-client'
import type { RunningKbs } from './kbs-server-options.ts'
import { capturingLogger, tempDir } from './server-test-support.ts'
import { startKbsServer } from './start-kbs-server.ts'

const temp = tempDir('carapace-rcar-')
after(() => {
  temp.remove()
})

const SAMPLE_REFERENCE_VALUES = { launch_digest: ['abcde'], svn: ['1'], major_version: 1, minimum_minor_version: 0 }
const SECRET = new TextEncoder().encode('the answer is 42')

/** As an operator would: admin token from the generated key, reference values and a secret. */
async function provision(kbs: RunningKbs): Promise<ReturnType<typeof createNodeFetch>> {
  const fetch = createNodeFetch({ ca: kbs.certificatePem ?? '' })
  const token = mintAdminToken(readFileSync(kbs.adminPrivateKeyPath ?? '', 'utf8'), { ttlSeconds: 300 })
  const admin = createKbsAdminClient({ url: kbs.url, token, fetch })
  await admin.setReferenceValue({
    version: '0.1.0',
    type: 'sample',
    payload: Buffer.from(JSON.stringify(SAMPLE_REFERENCE_VALUES)).toString('base64'),
  })
  assert.deepEqual(await admin.getReferenceValue('svn'), ['1'])
  await admin.setResource('default/key/one', SECRET)
  return fetch
}

describe('RCAR through startKbsServer with the sample attester', () => {
  it('releases the secret when the operator allowed the sample TEE (affirming by the default policy)', async () => {
    const logger = capturingLogger()
    const kbs = await startKbsServer({
      dataDir: join(temp.dir, 'allowed'),
      listen: '127.0.0.1:0',
      insecureAllowSampleTee: true,
      logger,
    })
    try {
      assert.ok(logger.lines.some((l) => l.level === 'warn' && /INSECURE DEVELOPMENT MODE/.test(l.message)))
      const fetch = await provision(kbs)
      const client = createKbsClient({ url: kbs.url, attester: createSampleAttester(), fetch })
      assert.deepEqual(await client.getResource('default/key/one'), SECRET)
      assert.ok(logger.lines.some((l) => l.level === 'warn' && /appraising sample TEE evidence/.test(l.message)))
    } finally {
      await kbs.close()
    }
  })

  it('denies the same guest by default: sample evidence is never affirming without the flag', async () => {
    const kbs = await startKbsServer({
      dataDir: join(temp.dir, 'denied'),
      listen: '127.0.0.1:0',
      logger: capturingLogger(),
    })
    try {
      const fetch = await provision(kbs)
      const client = createKbsClient({ url: kbs.url, attester: createSampleAttester(), fetch })
      await assert.rejects(client.getResource('default/key/one'), (error: Error) => {
        assert.match(String(error.cause), /errors\/PolicyDeny/)
        return true
      })
      // The token says why: the appraisal is contraindicated through the hardware claim.
      const token = await client.getToken()
      const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
        submods: Record<string, { 'ear.status': string; 'ear.trustworthiness-vector': Record<string, number> }>
      }
      const cpu0 = payload.submods['cpu0']
      assert.ok(cpu0 !== undefined)
      assert.equal(cpu0['ear.status'], 'contraindicated')
      assert.equal(cpu0['ear.trustworthiness-vector']['hardware'], 97)
    } finally {
      await kbs.close()
    }
  })
})
