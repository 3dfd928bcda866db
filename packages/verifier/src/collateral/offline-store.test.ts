import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { snpEvidenceJson } from '../snp/snp-evidence.ts'
import { SnpOffset } from '../snp/snp-report.ts'
import { goldenReports, snpFixture } from '../snp/snp-test-support.ts'
import { createSnpVerifier } from '../snp/snp-verifier.ts'
import { VerificationError } from '../verifier.ts'
import { CollateralError } from './collateral-error.ts'
import {
  createOfflineStoreCollateral,
  DEFAULT_OFFLINE_STORE_PATH,
  offlineStoreTcbPrefix,
  offlineStoreVcekPaths,
} from './offline-store.ts'

const tmp = mkdtempSync(join(tmpdir(), 'carapace-offline-store-'))
after(() => {
  rmSync(tmp, { recursive: true, force: true })
})

const golden = goldenReports()
const oak = golden['oak-milan-oc']
assert.ok(oak !== undefined)
const report = snpFixture(oak.report)
const vcek = snpFixture(oak.vcek)
const chipId = report.slice(SnpOffset.chipId, SnpOffset.chipId + 64)
const hwid = Buffer.from(chipId).toString('hex')
const milanTcb = { bootloader: 4, tee: 0, snp: 24, microcode: 219 }
const vcekRequest = { kind: 'amd-vcek', product: 'Milan', hwid: chipId, tcb: milanTcb } as const

function store(name: string, files: Record<string, Uint8Array>): string {
  const root = join(tmp, name)
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), body)
  }
  return root
}

test('file names follow upstream: two-digit SPLs, fmc appended on Turin, hwid lower-case hex', () => {
  assert.equal(offlineStoreTcbPrefix(milanTcb), 'bl04_tee00_snp24_ucode219')
  assert.equal(
    offlineStoreTcbPrefix({ fmc: 0, bootloader: 1, tee: 0, snp: 2, microcode: 71 }),
    'bl01_tee00_snp02_ucode71_fmc00',
  )
  assert.deepEqual(offlineStoreVcekPaths('/s', new Uint8Array([0xab, 0x01]), milanTcb), [
    '/s/vcek/ab01/bl04_tee00_snp24_ucode219_vcek.der',
    '/s/vcek/ab01/vcek.der',
  ])
  assert.equal(DEFAULT_OFFLINE_STORE_PATH, '/opt/confidential-containers/attestation-service/kds-store')
})

test('the TCB-named VCEK is preferred to the flat one; only VCEK requests are answered', async () => {
  const other = new Uint8Array([1, 2, 3])
  const root = store('both', {
    [`vcek/${hwid}/bl04_tee00_snp24_ucode219_vcek.der`]: vcek,
    [`vcek/${hwid}/vcek.der`]: other,
  })
  const source = createOfflineStoreCollateral(root)
  assert.deepEqual((await source.get(vcekRequest))?.body, vcek)
  assert.deepEqual((await source.get({ ...vcekRequest, tcb: { ...milanTcb, snp: 25 } }))?.body, other)
  assert.equal(await source.get({ ...vcekRequest, hwid: new Uint8Array(64) }), undefined)
  assert.equal(await source.get({ kind: 'amd-cert-chain', product: 'Milan', signer: 'vcek' }), undefined)
  assert.equal(await source.get({ kind: 'intel-root-ca-crl' }), undefined)
  assert.equal(await createOfflineStoreCollateral(join(tmp, 'absent')).get(vcekRequest), undefined)
})

test('a real Milan report without a certificate table verifies with the flat-layout VCEK', async () => {
  const source = createOfflineStoreCollateral(store('flat', { [`vcek/${hwid}/vcek.der`]: vcek }))
  const [verified] = await createSnpVerifier().verify(
    snpEvidenceJson(report, null),
    { reportData: report.slice(SnpOffset.reportData, SnpOffset.reportData + 64) },
    { at: new Date(oak.at), collateral: source },
  )
  assert.deepEqual(verified?.claims, oak.claims)
  await assert.rejects(
    createSnpVerifier().verify(
      snpEvidenceJson(report, null),
      { reportData: report.slice(SnpOffset.reportData, SnpOffset.reportData + 64) },
      { at: new Date(oak.at), collateral: createOfflineStoreCollateral(store('empty', {})) },
    ),
    (e: unknown) => e instanceof VerificationError && e.code === 'COLLATERAL_UNAVAILABLE',
  )
})

test('a VCEK path that cannot be read (here a folder) is IO_ERROR, not "absent"', async () => {
  const root = store('broken', {})
  mkdirSync(join(root, 'vcek', hwid, 'bl04_tee00_snp24_ucode219_vcek.der'), { recursive: true })
  await assert.rejects(
    createOfflineStoreCollateral(root).get(vcekRequest),
    (e: unknown) => e instanceof CollateralError && e.code === 'IO_ERROR',
  )
})
