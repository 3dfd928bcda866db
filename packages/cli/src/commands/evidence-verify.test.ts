import assert from 'node:assert/strict'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { createDirectoryCollateral, snpEvidenceJson, verifierFor } from '@carapace/verifier'
import { captureIo } from '../captured-io.ts'
import { main } from '../main.ts'

const fixtures = new URL('../../../verifier/fixtures/', import.meta.url).pathname
const fixture = (path: string): Buffer => readFileSync(join(fixtures, path))
const tmp = mkdtempSync(join(tmpdir(), 'carapace-evidence-'))
after(() => {
  rmSync(tmp, { recursive: true, force: true })
})

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo()
  const code = await main(['evidence', 'verify', ...argv], io)
  return { code, out: io.out(), err: io.err() }
}

// SGX: dcap-qvl's sample quote with its collateral, laid out as a flat --collateral folder.
const sgxDir = join(tmp, 'sgx-collateral')
mkdirSync(sgxDir)
for (const f of ['tcb-info.json', 'tcb-info-issuer-chain.pem', 'qe-identity.json', 'qe-identity-issuer-chain.pem']) {
  copyFileSync(join(fixtures, 'dcap-collateral/qvl-sgx', f), join(sgxDir, f))
}
copyFileSync(join(fixtures, 'dcap-collateral/qvl-sgx/root-ca-crl.der'), join(sgxDir, 'root-ca-crl.der'))
copyFileSync(join(fixtures, 'dcap/qvl-sgx-pck-crl.der'), join(sgxDir, 'pck-crl.der'))
const quote = fixture('dcap/qvl-sgx-quote.dat')
const sgxEvidence = join(tmp, 'sgx-evidence.json')
writeFileSync(sgxEvidence, JSON.stringify({ quote: quote.toString('base64') }))
const sgxArgs = ['--report-data', Buffer.from('Hello, world!').toString('hex'), '--at', '2025-07-19T10:01:17Z']

// SNP: a Milan report without certificates; its VCEK comes from the folder as vcek.der.
const snpGolden = (JSON.parse(fixture('snp/expected-claims.json').toString()) as Record<string, { claims: object }>)[
  'oak-milan-oc'
]
const report = fixture('snp/oak-milan-oc-report.bin')
const snpEvidence = join(tmp, 'snp-evidence.json')
writeFileSync(snpEvidence, snpEvidenceJson(new Uint8Array(report), null))
const snpDir = join(tmp, 'snp-collateral')
mkdirSync(snpDir)
copyFileSync(join(fixtures, 'snp/oak-milan-oc-vcek.der'), join(snpDir, 'vcek.der'))
const snpArgs = ['--report-data', report.subarray(0x50, 0x90).toString('hex'), '--at', '2025-09-12T00:00:00Z']

describe('carapace evidence verify', () => {
  test('an SGX quote with its --collateral folder at --at: the golden claims', async () => {
    const r = await run('--tee', 'sgx', '--evidence', sgxEvidence, '--collateral', sgxDir, ...sgxArgs)
    assert.equal(r.code, 0, r.err)
    const claims = JSON.parse(r.out) as Record<string, unknown>
    // dcap-qvl asserts this status and these advisories for its sample (vectors-extra case QVL-SGX)
    assert.equal(claims['tcb_status'], 'ConfigurationAndSWHardeningNeeded')
    assert.deepEqual(claims['advisory_ids'], ['INTEL-SA-00289', 'INTEL-SA-00615'])
    assert.equal(claims['tcb_date'], '2024-03-13T00:00:00Z')
    const [direct] = await verifierFor('sgx').verify(
      { quote: quote.toString('base64') },
      { reportData: new TextEncoder().encode('Hello, world!') },
      { at: new Date('2025-07-19T10:01:17Z'), collateral: createDirectoryCollateral(sgxDir) },
    )
    assert.deepEqual(claims, direct?.claims)
  })

  test('an SNP report whose VCEK is in the folder: the golden claims', async () => {
    const r = await run('--tee', 'snp', '--evidence', snpEvidence, '--collateral', snpDir, ...snpArgs)
    assert.equal(r.code, 0, r.err)
    assert.deepEqual(JSON.parse(r.out), snpGolden?.claims)
  })

  test('a raw report file works too; a chain of the wrong kind in the folder is named in the causes', async () => {
    const raw = join(tmp, 'report.bin')
    writeFileSync(raw, report)
    const r = await run('--tee', 'snp', '--evidence', raw, '--collateral', snpDir, ...snpArgs)
    assert.equal(r.code, 0, r.err)
    assert.deepEqual(JSON.parse(r.out), snpGolden?.claims)
    const wrong = join(tmp, 'vlek-chain')
    mkdirSync(wrong)
    copyFileSync(join(fixtures, 'snp/oak-milan-oc-vcek.der'), join(wrong, 'vcek.der'))
    writeFileSync(join(wrong, 'cert-chain.pem'), readFileSync(join(fixtures, 'pkix/amd-milan-ask-ark-asvk.pem')))
    const bad = await run('--tee', 'snp', '--evidence', raw, '--collateral', wrong, ...snpArgs)
    assert.equal(bad.code, 1)
    assert.match(
      bad.err,
      /COLLATERAL_UNAVAILABLE: .*chain[\s\S]*caused by MISMATCH: the AMD chain is not the VCEK chain/,
    )
  })

  test('failures name the check and its code (exit 1)', async () => {
    const tampered = Buffer.from(quote)
    tampered[48 + 64] = (tampered[48 + 64] ?? 0) ^ 1 // MRENCLAVE
    const tamperedFile = join(tmp, 'tampered.json')
    writeFileSync(tamperedFile, JSON.stringify({ quote: tampered.toString('base64') }))
    const bad = await run('--tee', 'sgx', '--evidence', tamperedFile, '--collateral', sgxDir, ...sgxArgs)
    assert.equal(bad.code, 1)
    assert.match(bad.err, /verification failed: SIGNATURE_INVALID: .*signature/i)
    assert.equal(bad.out, '')
    const noVcek = await run('--tee', 'snp', '--evidence', snpEvidence, ...snpArgs)
    assert.equal(noVcek.code, 1)
    assert.match(noVcek.err, /COLLATERAL_UNAVAILABLE: no VCEK/)
    const later = await run(
      '--tee',
      'sgx',
      '--evidence',
      sgxEvidence,
      '--collateral',
      sgxDir,
      '--at',
      '2040-01-01T00:00:00Z',
    )
    assert.equal(later.code, 1)
    assert.match(later.err, /CERT_EXPIRED/)
    const data = await run(
      '--tee',
      'sgx',
      '--evidence',
      sgxEvidence,
      '--collateral',
      sgxDir,
      '--report-data',
      '00',
      '--at',
      '2025-07-19T10:01:17Z',
    )
    assert.equal(data.code, 1)
    assert.match(data.err, /REPORT_DATA_MISMATCH/)
  })

  test('without --report-data / --init-data-digest those bindings are not checked; stderr says so in one line', async () => {
    const r = await run(
      '--tee',
      'sgx',
      '--evidence',
      sgxEvidence,
      '--collateral',
      sgxDir,
      '--at',
      '2025-07-19T10:01:17Z',
    )
    assert.equal(r.code, 0, r.err)
    assert.equal(
      r.err,
      'carapace evidence verify: not checked: report data (no --report-data), init data (no --init-data-digest)\n',
    )
    const withData = await run('--tee', 'sgx', '--evidence', sgxEvidence, '--collateral', sgxDir, ...sgxArgs)
    assert.equal(withData.out, r.out, 'the claims are the same')
    assert.equal(withData.err, 'carapace evidence verify: not checked: init data (no --init-data-digest)\n')
    const both = await run(
      '--tee',
      'sgx',
      '--evidence',
      sgxEvidence,
      '--collateral',
      sgxDir,
      ...sgxArgs,
      '--init-data-digest',
      Buffer.from(quote.subarray(48 + 96, 48 + 160)).toString('hex'),
    )
    assert.equal(both.code, 1)
    assert.match(both.err, /INIT_DATA_MISMATCH/)
  })

  test('cca: --cca-config takes upstream’s local config or the ta-store itself', async () => {
    const token = fixture('cca/cca-example-token.cbor')
    const ccaEvidence = join(tmp, 'cca-evidence.json')
    writeFileSync(ccaEvidence, JSON.stringify({ token: [...token] }))
    const claims = JSON.parse(fixture('cca/cca-example-token-claims.json').toString()) as Record<string, unknown>
    const store = join(fixtures, 'cca/tastore.json')
    const config = join(tmp, 'cca-config.json')
    writeFileSync(
      config,
      JSON.stringify({ 'cca-verifier': { type: 'local', 'ta-store': store, 'rv-store': 'unused' } }),
    )
    const args = ['--tee', 'cca', '--evidence', ccaEvidence, '--report-data', String(claims['report_data'])]
    for (const file of [store, config]) {
      const r = await run(...args, '--cca-config', file)
      assert.equal(r.code, 0, r.err)
      assert.deepEqual(JSON.parse(r.out), claims)
    }
    const missing = join(tmp, 'cca-config-missing.json')
    writeFileSync(missing, JSON.stringify({ 'cca-verifier': { type: 'local', 'ta-store': join(tmp, 'none.json') } }))
    const bad = await run(...args, '--cca-config', missing)
    assert.equal(bad.code, 1)
    assert.match(bad.err, /COLLATERAL_UNAVAILABLE: CCA ta-store .* is not readable/)
    assert.equal((await run(...args, '--cca-config', join(tmp, 'absent.json'))).code, 2)
    assert.equal((await run('--tee', 'sgx', '--evidence', sgxEvidence, '--cca-config', store)).code, 2)
  })

  test('nvidia-dpu: --nvidia-dpu-root-ca (required) and --nvidia-dpu-max-cert-age', async () => {
    const dpu = (name: string): string => join(fixtures, 'nvidia-dpu', name)
    const claims = JSON.parse(fixture('nvidia-dpu/expected-claims.json').toString()) as Record<string, unknown>
    const args = [
      '--tee',
      'nvidia-dpu',
      '--evidence',
      dpu('evidence.json'),
      '--report-data',
      fixture('nvidia-dpu/report-data.hex').toString().trim(),
      '--at',
      '2026-01-15T10:10:00Z',
    ]
    const r = await run(...args, '--nvidia-dpu-root-ca', dpu('root-ca.pem'))
    assert.equal(r.code, 0, r.err)
    assert.deepEqual(JSON.parse(r.out), claims)
    const noRoot = await run(...args)
    assert.equal(noRoot.code, 1)
    assert.match(noRoot.err, /COLLATERAL_UNAVAILABLE: .*--nvidia-dpu-root-ca/)
    const young = await run(...args, '--nvidia-dpu-root-ca', dpu('root-ca.pem'), '--nvidia-dpu-max-cert-age', '60')
    assert.equal(young.code, 1)
    assert.match(young.err, /CERT_EXPIRED: .*Alias/)
    assert.equal((await run(...args, '--nvidia-dpu-root-ca', dpu('evidence.json'))).code, 2)
    assert.equal((await run(...args, '--nvidia-dpu-max-cert-age', '60')).code, 2)
    assert.equal(
      (await run(...args, '--nvidia-dpu-root-ca', dpu('root-ca.pem'), '--nvidia-dpu-max-cert-age', 'x')).code,
      2,
    )
  })

  test('usage mistakes exit 2', async () => {
    assert.equal((await run('--tee', 'sgx', '--evidence', sgxEvidence, '--at', 'yesterday')).code, 2)
    assert.equal((await run('--tee', 'nope', '--evidence', sgxEvidence)).code, 2)
    assert.equal((await run('--tee', 'sgx', '--evidence', sgxEvidence, '--report-data', 'xyz')).code, 2)
    assert.equal((await run('--tee', 'sgx')).code, 2)
  })
})
