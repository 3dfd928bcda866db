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
      '--at',
      '2025-07-19T10:01:17Z',
    )
    assert.match(data.err, /REPORT_DATA_MISMATCH/)
  })

  test('usage mistakes exit 2', async () => {
    assert.equal((await run('--tee', 'sgx', '--evidence', sgxEvidence, '--at', 'yesterday')).code, 2)
    assert.equal((await run('--tee', 'nope', '--evidence', sgxEvidence)).code, 2)
    assert.equal((await run('--tee', 'sgx', '--evidence', sgxEvidence, '--report-data', 'xyz')).code, 2)
    assert.equal((await run('--tee', 'sgx')).code, 2)
  })
})
