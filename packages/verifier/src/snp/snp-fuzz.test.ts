import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fuzzVerifier } from '../fuzz/fuzz-verifier.ts'
import { mutateBytes } from '../fuzz/mutate-bytes.ts'
import { mutateJson } from '../fuzz/mutate-json.ts'
import type { VerificationContext } from '../verifier.ts'
import { parseSnpEvidence, snpEvidenceJson } from './snp-evidence.ts'
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

test('snp fuzz: 2,000 field mutations of golden evidence JSON are accepted only if they carry the same report', async () => {
  const evidence: unknown = JSON.parse(snpEvidenceJson(report, [{ certType: 'VCEK', data: snpFixture(golden.vcek) }]))
  const original = parseSnpEvidence(evidence).report
  const sameReport = (mutated: unknown): boolean => {
    try {
      return Buffer.from(parseSnpEvidence(mutated).report).equals(Buffer.from(original))
    } catch {
      return false
    }
  }
  const result = await fuzzVerifier({
    golden: evidence,
    mutate: mutateJson,
    verify: (e) => verifier.verify(e, expected, context),
    runs: 2_000,
    seed: 0x15a,
    // A changed or lost cert_chain is fine: the VCEK then comes from the collateral.
    acceptable: sameReport,
  })
  assert.ok(result.rejected > 1_000, `${String(result.rejected)} rejected`)
})
