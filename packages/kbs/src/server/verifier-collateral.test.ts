import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { snpEvidenceJson, VerificationError, type VerificationRequest } from '@carapace/attestation-service'
import type { JsonObject } from '@carapace/protocol'
import { parseKbsConfig } from '../config/index.ts'
import { buildKbs } from './build-kbs.ts'
import { KbsServerError } from './server-error.ts'
import { capturingLogger, tempDir } from './server-test-support.ts'
import { intelServiceBase, verifierCollateral } from './verifier-collateral.ts'

// A real Milan report without a certificate table and its VCEK (packages/verifier/fixtures/snp/README.md).
const snpFixtures = new URL('../../../verifier/fixtures/snp/', import.meta.url)
const report = new Uint8Array(readFileSync(new URL('oak-milan-oc-report.bin', snpFixtures)))
const vcek = new Uint8Array(readFileSync(new URL('oak-milan-oc-vcek.der', snpFixtures)))
const hwid = Buffer.from(report.subarray(0x1a0, 0x1e0)).toString('hex')
const AT = new Date('2025-09-12T00:00:00Z')
const VCEK_URL = `https://kds.test/vcek/v1/Milan/${hwid}?blSPL=4&teeSPL=0&snpSPL=24&ucodeSPL=219`

const temp = tempDir('carapace-collateral-')
after(() => {
  temp.remove()
})
let dirs = 0
const freshDir = (): string => join(temp.dir, String(++dirs))

function config(verifierConfig: string) {
  return parseKbsConfig(
    `[http_server]\ninsecure_http = true\n[admin]\ntype = "InsecureAllowAll"\n[storage_backend]\nstorage_type = "Memory"\n${verifierConfig}`,
    { fileName: 'kbs-config.toml' },
  ).config
}

const KDS_CONFIG = `[attestation_service.verifier_config.snp_verifier]\nvcek_sources = [{ type = "KDS", base_url = "https://kds.test" }]\n`

/** A fake AMD KDS / Intel PCS: `answers` by exact URL, 404 for everything else; records what was asked. */
function fakeFetch(answers: Record<string, Uint8Array>): typeof globalThis.fetch & { urls: string[] } {
  const urls: string[] = []
  const doFetch = (input: string | URL | Request): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input)
    urls.push(url)
    const body = answers[url]
    return Promise.resolve(body === undefined ? new Response(null, { status: 404 }) : new Response(body))
  }
  return Object.assign(doFetch, { urls })
}

const unreachable = Object.assign(
  (): Promise<Response> => Promise.reject(new TypeError('fetch failed: the network is not reachable here')),
  { urls: [] as string[] },
)

function snpRequest(): VerificationRequest {
  return {
    tee: 'snp',
    evidence: JSON.parse(snpEvidenceJson(report, null)) as unknown,
    runtimeData: { raw: report.slice(0x50, 0x90) },
  }
}

async function snpClaimsVia(options: Parameters<typeof buildKbs>[0]): Promise<JsonObject> {
  const kbs = await buildKbs({ now: () => AT, logger: capturingLogger(), ...options })
  try {
    const { payload } = await kbs.attestationService.evaluate(snpRequest())
    const cpu0 = (payload['submods'] as Record<string, JsonObject>)['cpu0']
    assert.ok(cpu0 !== undefined)
    return (cpu0['ear.veraison.annotated-evidence'] as JsonObject)['snp'] as JsonObject
  } finally {
    await kbs.close()
  }
}

async function rejectsUnavailable(options: Parameters<typeof buildKbs>[0]): Promise<void> {
  const kbs = await buildKbs({ now: () => AT, logger: capturingLogger(), ...options })
  try {
    await assert.rejects(
      kbs.attestationService.evaluate(snpRequest()),
      (e: unknown) => e instanceof VerificationError && e.code === 'COLLATERAL_UNAVAILABLE',
    )
  } finally {
    await kbs.close()
  }
}

describe('kbs serve: verifier_config collateral reaches the hardware verifiers', () => {
  it('KDS (a local fake): the VCEK is fetched once, cached under the data dir, and the token has the snp claims', async () => {
    const dataDir = freshDir()
    const kds = fakeFetch({ [VCEK_URL]: vcek })
    const claims = await snpClaimsVia({ config: config(KDS_CONFIG), dataDir, fetch: kds })
    assert.equal(claims['chip_id'], hwid)
    assert.equal(claims['reported_tcb_snp'], 24)
    assert.ok(kds.urls.includes(VCEK_URL))
    assert.ok(kds.urls.includes('https://kds.test/vcek/v1/Milan/crl'))
    // The KDS is gone now: the cached VCEK (it has no nextUpdate) still serves.
    const again = await snpClaimsVia({ config: config(KDS_CONFIG), dataDir, fetch: fakeFetch({}) })
    assert.deepEqual(again, claims)
  })

  it('collateral missing: KDS without the VCEK, or no network, is COLLATERAL_UNAVAILABLE', async () => {
    await rejectsUnavailable({ config: config(KDS_CONFIG), dataDir: freshDir(), fetch: fakeFetch({}) })
    await rejectsUnavailable({ config: config(''), dataDir: freshDir(), fetch: unreachable })
  })

  it('OfflineStore: upstream VCEK store layout, asked before KDS', async () => {
    const store = freshDir()
    mkdirSync(join(store, 'vcek', hwid), { recursive: true })
    writeFileSync(join(store, 'vcek', hwid, 'bl04_tee00_snp24_ucode219_vcek.der'), vcek)
    const offlineFirst = `[attestation_service.verifier_config.snp_verifier]\nvcek_sources = [{ type = "OfflineStore", path = ${JSON.stringify(store)} }, { type = "KDS", base_url = "https://kds.test" }]\n`
    const kds = fakeFetch({})
    const claims = await snpClaimsVia({ config: config(offlineFirst), dataDir: freshDir(), fetch: kds })
    assert.equal(claims['chip_id'], hwid)
    assert.ok(!kds.urls.some((u) => u.includes(hwid)), 'the VCEK came from the store')
    const offlineOnly = `[attestation_service.verifier_config.snp_verifier]\nvcek_sources = [{ type = "OfflineStore", path = ${JSON.stringify(freshDir())} }]\n`
    await rejectsUnavailable({ config: config(offlineOnly), dataDir: freshDir(), fetch: unreachable })
  })

  it('--collateral DIR: the flat folder serves, and no vendor service is asked', async () => {
    const dir = freshDir()
    mkdirSync(dir)
    writeFileSync(join(dir, 'vcek.der'), vcek)
    const network = fakeFetch({})
    const claims = await snpClaimsVia({ config: config(''), dataDir: freshDir(), collateralDir: dir, fetch: network })
    assert.equal(claims['chip_id'], hwid)
    assert.deepEqual(network.urls, [])
    await assert.rejects(
      buildKbs({
        config: config(''),
        dataDir: freshDir(),
        collateralDir: join(dir, 'absent'),
        logger: capturingLogger(),
      }),
      (e: unknown) => e instanceof KbsServerError && e.code === 'INVALID_ARGUMENT' && /--collateral/.test(e.message),
    )
  })
})

describe('verifier_config checks', () => {
  const notServed = (text: string, key: RegExp) =>
    assert.rejects(
      buildKbs({ config: config(text), dataDir: freshDir(), logger: capturingLogger() }),
      (e: unknown) => e instanceof KbsServerError && e.code === 'NOT_SERVED' && key.test(e.message),
    )

  it('refuses what it cannot honour, naming the key', async () => {
    await notServed(
      '[attestation_service.verifier_config.nvidia_verifier]\ntype = "Remote"\n',
      /verifier_config\.nvidia_verifier\.type: the remote NVIDIA verifier \(NRAS/,
    )
    await notServed(
      '[attestation_service.verifier_config.dcap_verifier]\ncollateral_service = "file:///etc/pcs.json"\n',
      /dcap_verifier\.collateral_service: a file:\/\/ collateral service/,
    )
  })

  it('accepts Local NVIDIA and warns that tpm_verifier.trusted_ak_keys_dir is not read', async () => {
    const logger = capturingLogger()
    const kbs = await buildKbs({
      config: config(
        '[attestation_service.verifier_config.nvidia_verifier]\ntype = "Local"\n[attestation_service.verifier_config.tpm_verifier]\ntrusted_ak_keys_dir = "/keys"\n',
      ),
      dataDir: freshDir(),
      logger,
    })
    await kbs.close()
    assert.ok(logger.lines.some((l) => l.level === 'warn' && l.message.includes('tpm_verifier.trusted_ak_keys_dir')))
    assert.ok(logger.lines.some((l) => l.level === 'info' && String(l.fields['sources']).includes('AMD KDS')))
  })

  it('Intel PCS v4 or a PCCS as upstream configs name it; TCB Info asked with the tcb_update_type', async () => {
    assert.equal(
      intelServiceBase('https://api.trustedservices.intel.com/sgx/certification/v4/'),
      'https://api.trustedservices.intel.com',
    )
    assert.equal(intelServiceBase('https://pccs.local:8081/sgx/certification/v4'), 'https://pccs.local:8081')
    assert.equal(intelServiceBase('https://pccs.local:8081/'), 'https://pccs.local:8081')
    assert.equal(intelServiceBase('https://proxy.local/intel/tdx/certification/v4/'), 'https://proxy.local/intel')
    assert.throws(
      () => intelServiceBase('https://pccs.local/v3/'),
      (e: unknown) => e instanceof KbsServerError && e.code === 'INVALID_ARGUMENT',
    )
    assert.throws(
      () => intelServiceBase('not a url'),
      (e: unknown) => e instanceof KbsServerError && e.code === 'INVALID_ARGUMENT',
    )

    for (const [update, expected] of [
      [undefined, 'early'],
      ['standard', 'standard'],
    ] as const) {
      const pcs = fakeFetch({})
      const collateralService = 'https://pccs.local:8081/sgx/certification/v4/'
      const dcapVerifier = update === undefined ? { collateralService } : { collateralService, tcbUpdateType: update }
      const { source } = await verifierCollateral(
        { dcapVerifier },
        { dataDir: freshDir(), fetch: pcs, logger: capturingLogger() },
      )
      assert.equal(await source.get({ kind: 'intel-tcb-info', tee: 'tdx', fmspc: '90C06F000000' }), undefined)
      assert.equal(await source.get({ kind: 'intel-pck-crl', ca: 'platform' }), undefined)
      assert.deepEqual(pcs.urls, [
        `https://pccs.local:8081/tdx/certification/v4/tcb?fmspc=90C06F000000&update=${expected}`,
        'https://pccs.local:8081/sgx/certification/v4/pckcrl?ca=platform&encoding=der',
      ])
    }
  })
})
