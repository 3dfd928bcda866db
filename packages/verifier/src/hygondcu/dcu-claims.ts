import type { JsonObject } from '@carapace/protocol'
import type { DcuReport } from './dcu-evidence.ts'

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

/**
 * Upstream's DCU claims: one object keyed by report index (`"0"`, `"1"`, …), each with the report
 * body (byte fields hex, `sig_usage`/`sig_algo` as unpadded lower-case hex numbers) and
 * `report_data` (the user data).
 */
export function dcuClaims(reports: readonly DcuReport[]): JsonObject {
  const claims: JsonObject = {}
  reports.forEach((report, index) => {
    claims[String(index)] = {
      body: {
        version: report.version,
        chip_id: hex(report.chipId),
        user_data: hex(report.userData),
        measure: hex(report.measure),
        reserved: hex(report.reserved),
        sig_usage: report.sigUsage.toString(16),
        sig_algo: report.sigAlgo.toString(16),
      },
      report_data: hex(report.userData),
    }
  })
  return claims
}
