import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fuzzVerifier } from '../fuzz/fuzz-verifier.ts'
import { mutateBytes } from '../fuzz/mutate-bytes.ts'
import { mutateJson } from '../fuzz/mutate-json.ts'
import {
  csvJsonFixture,
  MAC_V2,
  reportOf,
  SYNTHETIC_HRK,
  SYNTHETIC_REPORT_DATA,
  syntheticCollateral,
  withReport,
} from './csv-test-support.ts'
import { createCsvVerifier } from './csv-verifier.ts'

/*
 * The report's 32-byte HMAC (keyed with the guest's own mnonce, over the signer block) is the one
 * field no verifier can check; upstream does not read it and neither does this verifier. The
 * mutators put it back, so that every other byte of the evidence is held to "refused unless untouched".
 */
function withGoldenMac(report: Uint8Array, golden: Uint8Array, at = MAC_V2): Uint8Array {
  if (report.length !== golden.length) return report
  const out = Uint8Array.from(report)
  out.set(golden.subarray(at, at + 32), at)
  return out
}

/** The v1 report's HMAC: after `TeeInfoV1` (0x150), the PEK copy, serial and reserved bytes. */
const MAC_V1 = 0x150 + 2084 + 64 + 32

const expected = { reportData: SYNTHETIC_REPORT_DATA }

test('csv fuzz: 10,000 mutations of the v2 report bytes are only ever refused, with typed errors', async () => {
  const verifier = createCsvVerifier({ hrk: SYNTHETIC_HRK })
  const evidence = csvJsonFixture('csv/synthetic/evidence-v2.json')
  const golden = reportOf(evidence)
  const context = { collateral: syntheticCollateral() }
  const result = await fuzzVerifier({
    golden,
    mutate: (bytes, pick) => withGoldenMac(mutateBytes(bytes, pick), golden),
    verify: (bytes) => verifier.verify(withReport(evidence, bytes), expected, context),
    runs: 10_000,
    seed: 0xc5f,
  })
  assert.equal(result.rejected + result.unchanged, 10_000)
  assert.ok(result.rejected > 9_000, `${String(result.rejected)} rejected`)
  assert.ok((result.codes.SIGNATURE_INVALID ?? 0) > 500, JSON.stringify(result.codes))
})

test('csv fuzz: 1,000 field mutations of evidence carrying its HSK/CEK are only ever refused', async () => {
  const verifier = createCsvVerifier({ hrk: SYNTHETIC_HRK })
  const golden = csvJsonFixture('csv/synthetic/evidence-v2-hsk-cek.json')
  const goldenReport = reportOf(golden)
  const result = await fuzzVerifier<unknown>({
    golden,
    mutate: (value, pick) => {
      const mutated = mutateJson(value, pick)
      const data = (mutated as { attestation_report?: { data?: unknown } }).attestation_report?.data
      if (!Array.isArray(data) || data.length !== goldenReport.length) return mutated
      const mac = Array.from(goldenReport.subarray(MAC_V2, MAC_V2 + 32))
      data.splice(MAC_V2, 32, ...mac)
      return mutated
    },
    verify: (evidence) => verifier.verify(evidence, expected),
    runs: 1_000,
    seed: 0x5e7,
  })
  assert.equal(result.rejected + result.unchanged, 1_000)
  assert.ok(result.rejected > 900, `${String(result.rejected)} rejected`)
})

test('csv fuzz: 2,000 mutations of the v1 (anonce-masked) report bytes are only ever refused', async () => {
  const verifier = createCsvVerifier({ hrk: SYNTHETIC_HRK })
  const evidence = csvJsonFixture('csv/synthetic/evidence-v1.json')
  const golden = reportOf(evidence)
  const context = { collateral: syntheticCollateral() }
  const result = await fuzzVerifier({
    golden,
    mutate: (bytes, pick) => withGoldenMac(mutateBytes(bytes, pick), golden, MAC_V1),
    verify: (bytes) => verifier.verify(withReport(evidence, bytes), expected, context),
    runs: 2_000,
    seed: 0x1a,
  })
  assert.equal(result.rejected + result.unchanged, 2_000)
})
