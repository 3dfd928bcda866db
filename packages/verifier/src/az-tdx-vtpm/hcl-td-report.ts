import { createHash } from 'node:crypto'
import type { DcapQuote } from '../dcap/quote-parse.ts'
import type { HclReport } from '../tpm/hcl-report.ts'
import { VerificationError } from '../verifier.ts'

/*
 * TDREPORT_STRUCT (1024 B): REPORTMACSTRUCT (256: REPORTTYPE 4, reserved 12, CPUSVN 16,
 * TEE_TCB_INFO_HASH 48, TEE_INFO_HASH 48, REPORTDATA 64, reserved 32, MAC 32), TEE_TCB_INFO (239),
 * reserved (17), TDINFO (512).
 */
const TDREPORT_SIZE = 1024
const TEE_TCB_INFO: readonly [number, number] = [256, 495]
const TDINFO: readonly [number, number] = [512, 1024]
const ZERO_RANGES: readonly (readonly [number, number])[] = [
  [3, 16], // REPORTTYPE.reserved and the reserved bytes after it
  [192, 224], // reserved before the MAC
  [495, 512], // reserved between TEE_TCB_INFO and TDINFO
]

/** [TDREPORT offset, quote body offset, length] of the fields a TDREPORT and its TD quote both carry. */
const SHARED_FIELDS: readonly (readonly [number, number, number])[] = [
  [128, 520, 64], // REPORTMACSTRUCT.REPORTDATA = report_data
  [264, 0, 120], // TEE_TCB_INFO: TEE_TCB_SVN, MRSEAM, MRSIGNERSEAM, ATTRIBUTES = tcb_svn … seam_attributes
  [512, 120, 400], // TDINFO: ATTRIBUTES, XFAM, MRTD, MRCONFIGID, MROWNER, MROWNERCONFIG, RTMR0-3
]

function malformed(message: string): VerificationError {
  return new VerificationError('EVIDENCE_MALFORMED', `the HCL report's TDREPORT: ${message}`)
}

function sha384(bytes: Uint8Array): Buffer {
  return createHash('sha384').update(bytes).digest()
}

/**
 * Nothing signs the TDREPORT the HCL report embeds (the TD quote is its signed form), so every byte
 * of it that can be checked is: the fields the quote carries equal the quote's, CPUSVN equals the
 * CPUSVN of the quote's QE report (same platform, same moment), the two hashes are those of
 * TEE_TCB_INFO and TDINFO, REPORTTYPE is TDX (0x81, subtype 0, version 0 or 1), reserved bytes and
 * the rest of the 1184-byte area are zero. Only the MAC (32 B) is left: only the CPU that made the
 * report can check it, and Intel's TD QE did before it signed the quote.
 */
export function checkHclTdReport(hcl: HclReport, quote: DcapQuote): void {
  const report = Buffer.from(hcl.hardwareReport.buffer, hcl.hardwareReport.byteOffset, hcl.hardwareReport.byteLength)
  const body = Buffer.from(quote.body.buffer, quote.body.byteOffset, quote.body.byteLength)
  for (const [at, bodyAt, length] of SHARED_FIELDS) {
    if (!report.subarray(at, at + length).equals(body.subarray(bodyAt, bodyAt + length))) {
      throw new VerificationError(
        'EVIDENCE_MALFORMED',
        `the HCL report's TDREPORT (offset ${String(at)}) is not the TD quote's`,
      )
    }
  }
  if (!report.subarray(16, 32).equals(Buffer.from(quote.qe.qeReport.buffer, quote.qe.qeReport.byteOffset, 16))) {
    throw malformed("CPUSVN is not the CPUSVN of the quote's QE report")
  }
  if (!selfConsistent.has(hcl)) {
    checkTdReportItself(report)
    selfConsistent.add(hcl)
  }
}

/**
 * Reports whose own bytes passed `checkTdReportItself`: parsed reports are remembered per exact bytes
 * (hcl-report.ts) and frozen, so the two SHA-384 and the zero ranges are checked once per report.
 */
const selfConsistent = new WeakSet<HclReport>()

function checkTdReportItself(report: Buffer): void {
  if (report[0] !== 0x81 || report[1] !== 0 || (report[2] !== 0 && report[2] !== 1)) {
    throw malformed(`REPORTTYPE ${report.subarray(0, 4).toString('hex')} is not a TDX report`)
  }
  for (const [from, to] of [...ZERO_RANGES, [TDREPORT_SIZE, report.length] as const]) {
    for (let i = from; i < to; i++) if (report[i] !== 0) throw malformed(`byte ${String(i)} is reserved (zero)`)
  }
  if (!report.subarray(32, 80).equals(sha384(report.subarray(...TEE_TCB_INFO)))) {
    throw malformed('TEE_TCB_INFO_HASH is not SHA-384 of TEE_TCB_INFO')
  }
  if (!report.subarray(80, 128).equals(sha384(report.subarray(...TDINFO)))) {
    throw malformed('TEE_INFO_HASH is not SHA-384 of TDINFO')
  }
}
