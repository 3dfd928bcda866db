import assert from 'node:assert/strict'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { captureIo } from '../captured-io.ts'
import { main } from '../main.ts'

const fixtures = new URL('../../../verifier/fixtures/', import.meta.url).pathname
const fixture = (path: string): Buffer => readFileSync(join(fixtures, path))
const tmp = mkdtempSync(join(tmpdir(), 'carapace-collateral-'))

// A fake Intel PCS on 127.0.0.1 serving dcap-qvl's real SGX collateral (no test reaches the internet).
const routes: Record<string, { body: Buffer; headers?: Record<string, string> }> = {
  '/sgx/certification/v4/tcb?fmspc=00a067110000': {
    body: fixture('dcap-collateral/qvl-sgx/tcb-info.json'),
    headers: {
      'TCB-Info-Issuer-Chain': encodeURIComponent(
        fixture('dcap-collateral/qvl-sgx/tcb-info-issuer-chain.pem').toString(),
      ),
    },
  },
  '/sgx/certification/v4/qe/identity': {
    body: fixture('dcap-collateral/qvl-sgx/qe-identity.json'),
    headers: {
      'SGX-Enclave-Identity-Issuer-Chain': encodeURIComponent(
        fixture('dcap-collateral/qvl-sgx/qe-identity-issuer-chain.pem').toString(),
      ),
    },
  },
  '/sgx/certification/v4/pckcrl?ca=processor&encoding=der': { body: fixture('dcap/qvl-sgx-pck-crl.der') },
  '/root.crl': { body: fixture('dcap-collateral/qvl-sgx/root-ca-crl.der') },
}
// …and a fake AMD KDS: the Milan VCEK of oak's report at its reported TCB, and AMD's Milan chain.
const report = fixture('snp/oak-milan-oc-report.bin')
const chipId = report.subarray(0x1a0, 0x1e0).toString('hex')
const [ask = '', ark = ''] =
  fixture('pkix/amd-milan-ask-ark-asvk.pem')
    .toString()
    .match(/-----BEGIN[\s\S]*?-----END CERTIFICATE-----\n?/g) ?? []
routes[`/vcek/v1/Milan/${chipId}?blSPL=4&teeSPL=0&snpSPL=24&ucodeSPL=219`] = {
  body: fixture('snp/oak-milan-oc-vcek.der'),
}
routes['/vcek/v1/Milan/cert_chain'] = { body: Buffer.from(ask + ark) }
const requests: string[] = []
const server = createServer((req, res) => {
  requests.push(req.url ?? '')
  const route = routes[req.url ?? '']
  if (route === undefined) res.writeHead(404).end()
  else res.writeHead(200, route.headers ?? {}).end(route.body)
})
let url = ''
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`
})
after(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  rmSync(tmp, { recursive: true, force: true })
})

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo()
  const code = await main(argv, io)
  return { code, out: io.out(), err: io.err() }
}

const quote = fixture('dcap/qvl-sgx-quote.dat')
const evidence = join(tmp, 'evidence.json')
writeFileSync(evidence, JSON.stringify({ quote: quote.toString('base64') }))
const verifyArgs = ['--report-data', Buffer.from('Hello, world!').toString('hex'), '--at', '2025-07-19T10:01:17Z']
const bundle = join(tmp, 'bundle')
const sgxKeys = ['intel/pck-crl/processor', 'intel/root-ca-crl', 'intel/sgx/qe-identity', 'intel/sgx/tcb/00a067110000']

describe('carapace collateral fetch | export | import', () => {
  test('fetch --evidence: exactly what the verifier asks for, from the services, into a bundle', async () => {
    const pcs = ['--pcs-url', url, '--root-crl-url', `${url}/root.crl`]
    const r = await run(
      'collateral',
      'fetch',
      '--evidence',
      evidence,
      '--tee',
      'sgx',
      ...verifyArgs,
      ...pcs,
      '--out',
      bundle,
    )
    assert.equal(r.code, 0, r.err)
    assert.match(r.err, /verifies with this collateral/)
    assert.deepEqual((JSON.parse(r.out) as { entries: string[] }).entries, sgxKeys)
    assert.ok(existsSync(join(bundle, 'index.json')))
    const f = await run('collateral', 'fetch', '--fmspc', '00A067110000', ...pcs, '--out', join(tmp, 'by-fmspc'))
    assert.equal(f.code, 0, f.err)
    const out = JSON.parse(f.out) as { fetched: string[]; entries: string[] }
    assert.ok(out.fetched.includes('intel/pck-crl/platform (not served)'))
    assert.deepEqual(out.entries, sgxKeys)
  })

  test('import → verify offline from the cache → export → import elsewhere', async () => {
    const cache = join(tmp, 'cache')
    const i = await run('collateral', 'import', bundle, '--cache', cache)
    assert.equal(i.code, 0, i.err)
    const before = requests.length
    const v = await run('evidence', 'verify', '--tee', 'sgx', '--evidence', evidence, '--cache', cache, ...verifyArgs)
    assert.equal(v.code, 0, v.err)
    assert.equal((JSON.parse(v.out) as Record<string, unknown>)['tcb_status'], 'ConfigurationAndSWHardeningNeeded')
    assert.equal(requests.length, before) // offline
    const exported = join(tmp, 'exported')
    const e = await run('collateral', 'export', '--cache', cache, '--out', exported)
    assert.equal(e.code, 0, e.err)
    assert.deepEqual((JSON.parse(e.out) as { entries: string[] }).entries, sgxKeys)
    const again = await run('collateral', 'import', exported, '--cache', join(tmp, 'cache2'))
    assert.deepEqual((JSON.parse(again.out) as { entries: string[] }).entries.sort(), sgxKeys)
  })

  test('an SNP report without certificates: fetch gets its VCEK and chain from KDS; verify then runs offline', async () => {
    const evidenceFile = join(tmp, 'report.bin')
    writeFileSync(evidenceFile, report)
    const snpArgs = ['--report-data', report.subarray(0x50, 0x90).toString('hex'), '--at', '2025-09-12T00:00:00Z']
    const out = join(tmp, 'snp-bundle')
    const f = await run(
      'collateral',
      'fetch',
      '--evidence',
      evidenceFile,
      '--tee',
      'snp',
      ...snpArgs,
      '--kds-url',
      url,
      '--kds-spacing-ms',
      '0',
      '--out',
      out,
    )
    assert.equal(f.code, 0, f.err)
    const fetched = (JSON.parse(f.out) as { fetched: string[] }).fetched
    assert.ok(fetched.includes(`amd/Milan/vcek/${chipId}/bl4_tee0_snp24_ucode219`), fetched.join())
    assert.ok(fetched.includes('amd/Milan/vcek/cert_chain'))
    const cache = join(tmp, 'snp-cache')
    assert.equal((await run('collateral', 'import', out, '--cache', cache)).code, 0)
    const before = requests.length
    const v = await run('evidence', 'verify', '--tee', 'snp', '--evidence', evidenceFile, '--cache', cache, ...snpArgs)
    assert.equal(v.code, 0, v.err)
    const golden = JSON.parse(fixture('snp/expected-claims.json').toString()) as Record<string, { claims: object }>
    assert.deepEqual(JSON.parse(v.out), golden['oak-milan-oc']?.claims)
    assert.equal(requests.length, before)
  })

  test('import also takes the flat --collateral layout; a malformed object is refused and nothing is written', async () => {
    const flat = join(tmp, 'flat')
    mkdirSync(flat)
    for (const f of ['tcb-info.json', 'tcb-info-issuer-chain.pem', 'qe-identity.json', 'root-ca-crl.der']) {
      copyFileSync(join(fixtures, 'dcap-collateral/qvl-sgx', f), join(flat, f))
    }
    copyFileSync(join(fixtures, 'dcap/qvl-sgx-pck-crl.der'), join(flat, 'pck-crl.der'))
    const r = await run('collateral', 'import', flat, '--cache', join(tmp, 'cache3'))
    assert.equal(r.code, 0, r.err)
    assert.deepEqual((JSON.parse(r.out) as { entries: string[] }).entries.sort(), sgxKeys)
    writeFileSync(join(flat, 'tcb-info.json'), '{"tcbInfo":{"fmspc":"x"}')
    const bad = await run('collateral', 'import', flat, '--cache', join(tmp, 'cache4'))
    assert.equal(bad.code, 1)
    assert.match(bad.err, /collateral MALFORMED: tcb-info.json is not JSON/)
    assert.equal(existsSync(join(tmp, 'cache4')), false)
    assert.equal((await run('collateral', 'fetch', '--out', bundle)).code, 2)
  })
})
