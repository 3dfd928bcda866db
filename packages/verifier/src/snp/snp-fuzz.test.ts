import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fuzzVerifier } from '../fuzz/fuzz-verifier.ts'
import { mutateBytes } from '../fuzz/mutate-bytes.ts'
import { mutateJson } from '../fuzz/mutate-json.ts'
import type { VerificationContext } from '../verifier.ts'
import { snpEvidenceJson } from './snp-evidence.ts'
import { SnpOffset } from './snp-report.ts'
import { fakeCollateral, goldenReports, snpFixture } from './snp-test-support.ts'
import { createSnpVerifier } from './snp-verifier.ts'

const golden = goldenReports()['oak-milan-oc']
assert.ok(golden !== undefined)
const report = snpFixture(golden.report)
const expected = { reportData: report.slice(SnpOffset.reportData, SnpOffset.reportData + 64) }
const context: VerificationContext = {
  at: new Date(golden.at),
  collateral: fakeCollateral({ 'amd-vcek': snpFixture(golden.vcek) }),
}
const verifier = createSnpVerifier()

test('snp fuzz: 10,000 mutations of a raw golden report are only ever rejected, with typed errors', async () => {
  const result = await fuzzVerifier({
    golden: report,
    mutate: mutateBytes,
    verify: (evidence) => verifier.verify(evidence, expected, context),
    runs: 10_000,
    seed: 0x5e7,
  })
  assert.equal(result.rejected + result.unchanged, 10_000)
  assert.ok(result.rejected > 9_000, `${String(result.rejected)} rejected`)
})

/*
 * The VCEK comes from the evidence's cert_chain here (the collateral holds none), so every field of
 * the JSON is needed and any change must be refused.
 */
test('snp fuzz: 2,000 field mutations of golden evidence JSON are only ever rejected, with typed errors', async () => {
  const evidence: unknown = JSON.parse(snpEvidenceJson(report, [{ certType: 'VCEK', data: snpFixture(golden.vcek) }]))
  const withoutCollateral: VerificationContext = { at: new Date(golden.at) }
  const result = await fuzzVerifier({
    golden: evidence,
    mutate: mutateJson,
    verify: (e) => verifier.verify(e, expected, withoutCollateral),
    runs: 2_000,
    seed: 0x15a,
  })
  assert.equal(result.rejected + result.unchanged, 2_000)
  assert.ok(result.rejected > 1_900, `${String(result.rejected)} rejected`)
})
