import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { CollateralSource } from '../collateral/collateral-source.ts'

/** Test helpers around the committed CSV fixtures (fixtures/csv/, see its README). */

export function csvFixture(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)))
}

export function csvJsonFixture(path: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(csvFixture(path)).toString('utf8')) as Record<string, unknown>
}

export const SYNTHETIC_CHIP = 'SYN0000000001'
export const SYNTHETIC_HRK = csvFixture('csv/synthetic/hrk.cert')
export const OTHER_HRK = csvFixture('csv/synthetic/other-hrk.cert')
export const SYNTHETIC_HSK_CEK = csvFixture('csv/synthetic/hsk_cek.cert')
export const SYNTHETIC_REPORT_DATA = new Uint8Array(
  Buffer.from(Buffer.from(csvFixture('csv/synthetic/report-data.hex')).toString('utf8').trim(), 'hex'),
)

/** What scripts/build-csv-fixtures.mjs derives each synthetic report field from. */
export function syntheticDigest(label: string, size: number): string {
  return createHash('sha512').update(label).digest().subarray(0, size).toString('hex')
}

/** A collateral source holding the synthetic HSK/CEK for the synthetic chip only. */
export function syntheticCollateral(body: Uint8Array = SYNTHETIC_HSK_CEK): CollateralSource {
  return {
    get: (request) =>
      Promise.resolve(request.kind === 'hygon-hsk-cek' && request.chipId === SYNTHETIC_CHIP ? { body } : undefined),
  }
}

/** Where the v2 report's signer block starts and its HMAC (the one field nothing can verify). */
export const SIGNER_V2 = 0x490
export const MAC_V2 = SIGNER_V2 + 2084 + 64 + 32

/** A copy of evidence JSON with its report bytes replaced. */
export function withReport(evidence: Record<string, unknown>, data: Uint8Array): Record<string, unknown> {
  const wrapper = evidence['attestation_report'] as Record<string, unknown>
  return { ...evidence, attestation_report: { ...wrapper, data: Array.from(data) } }
}

export function reportOf(evidence: Record<string, unknown>): Uint8Array {
  return Uint8Array.from((evidence['attestation_report'] as { data: number[] }).data)
}
