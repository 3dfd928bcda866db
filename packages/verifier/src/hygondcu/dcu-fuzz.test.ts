import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fuzzVerifier } from '../fuzz/fuzz-verifier.ts'
import { mutateJson } from '../fuzz/mutate-json.ts'
import { DCU_COLLATERAL, DCU_EVIDENCE, DCU_HRK, DCU_REPORT_DATA } from './dcu-test-support.ts'
import { createHygonDcuVerifier } from './dcu-verifier.ts'

// One report: each report is signed on its own, so a subset of a genuine list is itself genuine
// evidence (upstream binds the list no further); the fuzz golden has nothing to drop.
test('hygondcu fuzz: 10,000 mutations of one-report evidence JSON are only ever refused, with typed errors', async () => {
  const verifier = createHygonDcuVerifier({ hrk: DCU_HRK })
  const result = await fuzzVerifier<unknown>({
    golden: { attestation_reports: DCU_EVIDENCE.attestation_reports.slice(0, 1) },
    mutate: mutateJson,
    verify: (evidence) => verifier.verify(evidence, { reportData: DCU_REPORT_DATA }, { collateral: DCU_COLLATERAL }),
    runs: 10_000,
    seed: 0xdc0,
  })
  assert.equal(result.rejected + result.unchanged, 10_000)
  assert.ok(result.rejected > 9_000, `${String(result.rejected)} rejected`)
})
