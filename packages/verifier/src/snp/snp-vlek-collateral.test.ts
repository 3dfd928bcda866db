import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { createDirectoryCollateral } from '../collateral/directory-collateral.ts'
import { rejectsWith } from '../verifier-contract.ts'
import { snpEvidenceJson } from './snp-evidence.ts'
import { snpFixture } from './snp-test-support.ts'
import { createSnpVerifier } from './snp-verifier.ts'

const tmp = mkdtempSync(join(tmpdir(), 'carapace-snp-vlek-'))
after(() => {
  rmSync(tmp, { recursive: true, force: true })
})

function folderWithVlek(name: string, vlek: Uint8Array): string {
  const dir = join(tmp, name)
  mkdirSync(dir)
  writeFileSync(join(dir, 'vlek.der'), vlek)
  return dir
}

// trustee's VLEK-signed report is from VMPL 1: POLICY_VIOLATION means chain, TCB and signature passed.
const evidence = snpEvidenceJson(snpFixture('trustee-vlek-report.bin'), null)
const reportData = new Uint8Array(64)
const at = new Date('2025-06-01T00:00:00Z')

test('snp: a VLEK-signed report without its VLEK takes it from the collateral folder (vlek.der)', async () => {
  const collateral = createDirectoryCollateral(folderWithVlek('good', snpFixture('trustee-vlek.der')))
  await rejectsWith(createSnpVerifier().verify(evidence, { reportData }, { at, collateral }), 'POLICY_VIOLATION')
  await rejectsWith(
    createSnpVerifier().verify(evidence, { reportData }, { at: new Date('2026-01-01T00:00:00Z'), collateral }),
    'CERT_EXPIRED',
  )
})

test('snp: a VLEK-signed report with no VLEK anywhere, or a vlek.der that is not a Milan VLEK, is COLLATERAL_UNAVAILABLE', async () => {
  await rejectsWith(createSnpVerifier().verify(evidence, { reportData }, { at }), 'COLLATERAL_UNAVAILABLE')
  const empty = join(tmp, 'empty')
  mkdirSync(empty)
  await rejectsWith(
    createSnpVerifier().verify(evidence, { reportData }, { at, collateral: createDirectoryCollateral(empty) }),
    'COLLATERAL_UNAVAILABLE',
  )
  const wrong = createDirectoryCollateral(folderWithVlek('vcek', snpFixture('oak-milan-oc-vcek.der')))
  await rejectsWith(
    createSnpVerifier().verify(evidence, { reportData }, { at, collateral: wrong }),
    'COLLATERAL_UNAVAILABLE',
  )
})
