import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { VerificationError, type VerificationRequest } from '@carapace/attestation-service'
import type { JsonObject } from '@carapace/protocol'
import { parseKbsConfig } from '../config/index.ts'
import { buildKbs } from './build-kbs.ts'
import { capturingLogger, tempDir } from './server-test-support.ts'

// A real TDX v4 quote (Phala-Network/dcap-qvl sample) and its PCS collateral, as the verifier's
// fixtures hold them (packages/verifier/fixtures/dcap/README.md, fixtures/dcap-collateral/README.md).
const fixtures = new URL('../../../verifier/fixtures/', import.meta.url)
const file = (path: string): Uint8Array => new Uint8Array(readFileSync(new URL(path, fixtures)))
const text = (path: string): string => Buffer.from(file(path)).toString('utf8')
const quote = file('dcap/qvl-tdx-quote.dat')
const AT = new Date('2025-07-19T10:00:34Z')

const temp = tempDir('carapace-collateral-dcap-')
after(() => {
  temp.remove()
})

/** A fake PCCS at https://pccs.test serving the case's objects with PCS's issuer-chain headers. */
function fakePccs(): typeof globalThis.fetch & { urls: string[] } {
  const urls: string[] = []
  const answer = (body: Uint8Array, header?: [string, string]): Response =>
    new Response(body, header === undefined ? {} : { headers: { [header[0]]: encodeURIComponent(text(header[1])) } })
  const doFetch = (input: string | URL | Request): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    urls.push(url.href)
    const path = `${url.host}${url.pathname}`
    if (path === 'pccs.test/tdx/certification/v4/tcb') {
      return Promise.resolve(
        answer(file('dcap-collateral/qvl-tdx/tcb-info.json'), [
          'TCB-Info-Issuer-Chain',
          'dcap-collateral/qvl-tdx/tcb-info-issuer-chain.pem',
        ]),
      )
    }
    if (path === 'pccs.test/tdx/certification/v4/qe/identity') {
      return Promise.resolve(
        answer(file('dcap-collateral/qvl-tdx/qe-identity.json'), [
          'SGX-Enclave-Identity-Issuer-Chain',
          'dcap-collateral/qvl-tdx/qe-identity-issuer-chain.pem',
        ]),
      )
    }
    if (path === 'pccs.test/sgx/certification/v4/pckcrl') {
      return Promise.resolve(
        answer(file('dcap/qvl-tdx-pck-crl.der'), [
          'SGX-PCK-CRL-Issuer-Chain',
          'dcap-collateral/qvl-tdx/pck-crl-issuer-chain.pem',
        ]),
      )
    }
    if (url.host === 'certificates.trustedservices.intel.com') {
      return Promise.resolve(answer(file('dcap/qvl-tdx-root-ca-crl.der')))
    }
    return Promise.resolve(new Response(null, { status: 404 }))
  }
  return Object.assign(doFetch, { urls })
}

function tdxRequest(): VerificationRequest {
  return {
    tee: 'tdx',
    evidence: { cc_eventlog: null, quote: Buffer.from(quote).toString('base64') },
    runtimeData: { raw: quote.slice(48 + 520, 48 + 584) },
  }
}

const config = parseKbsConfig(
  `[http_server]\ninsecure_http = true\n[admin]\ntype = "InsecureAllowAll"\n[storage_backend]\nstorage_type = "Memory"\n` +
    `[attestation_service.verifier_config.dcap_verifier]\ncollateral_service = "https://pccs.test/sgx/certification/v4/"\n`,
  { fileName: 'kbs-config.toml' },
).config

describe('kbs serve: dcap_verifier.collateral_service reaches the TDX verifier', () => {
  it('a real TDX quote verifies with collateral from a (fake) PCCS, fetched with update=early and cached', async () => {
    const pccs = fakePccs()
    const kbs = await buildKbs({
      config,
      dataDir: join(temp.dir, 'a'),
      now: () => AT,
      fetch: pccs,
      logger: capturingLogger(),
    })
    try {
      const { payload } = await kbs.attestationService.evaluate(tdxRequest())
      const cpu0 = (payload['submods'] as Record<string, JsonObject>)['cpu0']
      assert.ok(cpu0 !== undefined)
      const tdx = (cpu0['ear.veraison.annotated-evidence'] as JsonObject)['tdx'] as JsonObject
      assert.equal(tdx['tcb_status'], 'UpToDate')
      assert.ok(
        pccs.urls.some((u) =>
          /^https:\/\/pccs\.test\/tdx\/certification\/v4\/tcb\?fmspc=b0c06f000000&update=early$/i.test(u),
        ),
      )
      const fetched = pccs.urls.length
      await kbs.attestationService.evaluate(tdxRequest())
      assert.equal(pccs.urls.length, fetched, 'the second verification is served from the cache')
    } finally {
      await kbs.close()
    }
  })

  it('PCCS down and nothing cached: COLLATERAL_UNAVAILABLE', async () => {
    const down = (): Promise<Response> => Promise.resolve(new Response(null, { status: 503 }))
    const kbs = await buildKbs({
      config,
      dataDir: join(temp.dir, 'b'),
      now: () => AT,
      fetch: down,
      logger: capturingLogger(),
    })
    try {
      await assert.rejects(
        kbs.attestationService.evaluate(tdxRequest()),
        (e: unknown) => e instanceof VerificationError && e.code === 'COLLATERAL_UNAVAILABLE',
      )
    } finally {
      await kbs.close()
    }
  })
})
