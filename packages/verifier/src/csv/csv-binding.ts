import { bytesEqual } from '../evidence-json.ts'
import { VerificationError } from '../verifier.ts'
import type { CsvReport } from './csv-report.ts'

/** Zero-pads or truncates to 64 bytes (upstream's `regularize_data` for CSV). */
export function csvReportData(reportData: Uint8Array): Uint8Array {
  const out = new Uint8Array(64)
  out.set(reportData.subarray(0, 64))
  return out
}

/**
 * The report's (unmasked) REPORT_DATA must be the expected runtime data, padded to 64 bytes. CSV
 * has no init-data field: an init-data digest is not checked (upstream warns and skips it).
 */
export function checkCsvReportData(report: CsvReport, expected: Uint8Array): void {
  if (!bytesEqual(report.reportData, csvReportData(expected))) {
    throw new VerificationError(
      'REPORT_DATA_MISMATCH',
      `csv: the report data ${Buffer.from(report.reportData).toString('hex')} is not the expected ${Buffer.from(csvReportData(expected)).toString('hex')}`,
    )
  }
}
