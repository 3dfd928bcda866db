import { VerificationError, type ExpectedBinding } from '../verifier.ts'
import type { SnpReport } from './snp-report.ts'

/** Zero-pads or truncates to `length` bytes (upstream's `regularize_data`). */
export function regularize(data: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length)
  out.set(data.subarray(0, length))
  return out
}

/** REPORT_DATA must be the runtime-data digest padded to 64; HOST_DATA the init-data digest padded to 32. */
export function checkSnpBinding(report: SnpReport, expected: ExpectedBinding): void {
  if (
    expected.reportData !== undefined &&
    !Buffer.from(regularize(expected.reportData, 64)).equals(report.reportData)
  ) {
    throw new VerificationError('REPORT_DATA_MISMATCH', 'SNP REPORT_DATA is not the expected runtime-data digest')
  }
  if (
    expected.initDataDigest !== undefined &&
    !Buffer.from(regularize(expected.initDataDigest, 32)).equals(report.hostData)
  ) {
    throw new VerificationError('INIT_DATA_MISMATCH', 'SNP HOST_DATA is not the expected init-data digest')
  }
}

/** VMPL 0 only: a report from a less privileged level says nothing about the guest's firmware. */
export function checkSnpVmpl(report: SnpReport): void {
  if (report.vmpl !== 0) {
    throw new VerificationError('POLICY_VIOLATION', `SNP report is from VMPL ${String(report.vmpl)}, not VMPL 0`)
  }
}
