import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { JsonObject } from '@carapace/protocol'
import {
  VerificationError,
  type ExpectedBinding,
  type TeeClass,
  type VerificationErrorCode,
  type Verifier,
} from './verifier.ts'

/*
 * What every verifier must do, run by each verifier's test file. It imports node:test, so it is
 * not exported from the package entry.
 */
export interface VerifierContractCase {
  readonly verifier: Verifier
  /** Evidence produced for `expected`, accepted with `claims`. */
  readonly golden: { evidence: unknown; expected: ExpectedBinding; claims: JsonObject[]; teeClass: TeeClass }
  /** Other report data than the golden evidence carries. */
  readonly wrongReportData: Uint8Array
  /** Evidence that is cut short, for a verifier with a binary format; JSON text cut in half otherwise. */
  readonly truncated: unknown
}

async function rejectsWith(run: Promise<unknown>, code: VerificationErrorCode): Promise<void> {
  await assert.rejects(run, (error: unknown) => {
    assert.ok(error instanceof VerificationError, `expected a VerificationError, got ${String(error)}`)
    assert.equal(error.code, code, error.message)
    return true
  })
}

export function verifierContract(name: string, make: () => VerifierContractCase): void {
  test(`${name}: golden evidence gives the expected claims`, async () => {
    const c = make()
    const results = await c.verifier.verify(c.golden.evidence, c.golden.expected)
    assert.deepEqual(
      results.map((r) => r.claims),
      c.golden.claims,
    )
    for (const r of results) assert.equal(r.teeClass, c.golden.teeClass)
  })
  test(`${name}: other report data is REPORT_DATA_MISMATCH`, async () => {
    const c = make()
    await rejectsWith(
      c.verifier.verify(c.golden.evidence, { ...c.golden.expected, reportData: c.wrongReportData }),
      'REPORT_DATA_MISMATCH',
    )
  })
  test(`${name}: truncated evidence is EVIDENCE_MALFORMED`, async () => {
    const c = make()
    await rejectsWith(c.verifier.verify(c.truncated, c.golden.expected), 'EVIDENCE_MALFORMED')
  })
  test(`${name}: garbage is EVIDENCE_MALFORMED`, async () => {
    const c = make()
    for (const garbage of [null, 42, [], 'not json', new Uint8Array([0xff, 0x00, 0x13]), {}]) {
      await rejectsWith(c.verifier.verify(garbage, c.golden.expected), 'EVIDENCE_MALFORMED')
    }
  })
}
