import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { snpEvidenceJson } from '@carapace/attestation-service'
import type { Attester } from '@carapace/attester'
import { createKbsClient, createNodeFetch } from '@carapace/kbs-client'
import type { JsonValue } from '@carapace/protocol'
import { capturingLogger, tempDir } from './server-test-support.ts'
import { startKbsServer } from './start-kbs-server.ts'

// A captured Milan report without its VCEK (packages/verifier/fixtures/snp/README.md): a guest
// replaying it cannot bind the KBS nonce, but the VCEK lookup comes first. Real time here (the
// client's cookie jar uses it): the VCEK is valid until 2032-01-15.
const snpFixtures = new URL('../../../verifier/fixtures/snp/', import.meta.url)
const report = new Uint8Array(readFileSync(new URL('oak-milan-oc-report.bin', snpFixtures)))
const vcek = new Uint8Array(readFileSync(new URL('oak-milan-oc-vcek.der', snpFixtures)))

const temp = tempDir('carapace-collateral-rcar-')
after(() => {
  temp.remove()
})

const replaying: Attester = {
  tee: 'snp',
  evidence: () => Promise.resolve(JSON.parse(snpEvidenceJson(report, null)) as JsonValue),
}

async function attestError(name: string, kdsFetch: typeof globalThis.fetch): Promise<string> {
  const kbs = await startKbsServer({
    dataDir: join(temp.dir, name),
    listen: '127.0.0.1:0',
    logger: capturingLogger(),
    fetch: kdsFetch,
  })
  try {
    const fetch = createNodeFetch({ ca: kbs.certificatePem ?? '' })
    const client = createKbsClient({ url: kbs.url, attester: replaying, fetch })
    const error = await client.getResource('default/key/one').then(
      () => assert.fail('released'),
      (e: unknown) => e,
    )
    assert.ok(error instanceof Error)
    return error.message
  } finally {
    await kbs.close()
  }
}

describe('RCAR with SNP evidence: the denial names the collateral check that failed', () => {
  it('KDS unreachable: the attest error says the VCEK could not be fetched', async () => {
    const down = (): Promise<Response> => Promise.reject(new TypeError('fetch failed'))
    assert.match(
      await attestError('down', down),
      /RCAR handshake Attest failed: fetching amd\/Milan\/vcek\/[0-9a-f]+\/\S+ failed/,
    )
  })

  it('with the VCEK from KDS the chain and signature pass and the replayed report fails on its report data', async () => {
    const kds = (input: string | URL | Request): Promise<Response> => {
      const url = input instanceof Request ? input.url : String(input)
      return Promise.resolve(
        url.includes('/vcek/v1/Milan/a3fd') ? new Response(vcek) : new Response(null, { status: 404 }),
      )
    }
    assert.match(await attestError('kds', kds), /RCAR handshake Attest failed: .*REPORT_DATA/i)
  })
})
