import type { DcapQuote } from '../dcap/quote-parse.ts'
import type { HclReport } from '../tpm/hcl-report.ts'
import { VerificationError } from '../verifier.ts'

const TDREPORT_SIZE = 1024

/** [TDREPORT offset, quote body offset, length] of the fields a TDREPORT and its TD quote both carry. */
const SHARED_FIELDS: readonly (readonly [number, number, number])[] = [
  [128, 520, 64], // REPORTMACSTRUCT.REPORTDATA = report_data
  [264, 0, 120], // TEE_TCB_INFO: TEE_TCB_SVN, MRSEAM, MRSIGNERSEAM, ATTRIBUTES = tcb_svn … seam_attributes
  [512, 120, 400], // TDINFO: ATTRIBUTES, XFAM, MRTD, MRCONFIGID, MROWNER, MROWNERCONFIG, RTMR0-3
]

/**
 * Nothing signs the TDREPORT the HCL report embeds (the TD quote is the signed form), so it must
 * say what the quote says, and the rest of the 1184-byte area must be zero.
 */
export function checkHclTdReport(hcl: HclReport, quote: DcapQuote): void {
  const report = Buffer.from(hcl.hardwareReport)
  const body = Buffer.from(quote.body)
  for (const [at, bodyAt, length] of SHARED_FIELDS) {
    if (!report.subarray(at, at + length).equals(body.subarray(bodyAt, bodyAt + length))) {
      throw new VerificationError(
        'EVIDENCE_MALFORMED',
        `the HCL report's TDREPORT (offset ${String(at)}) is not the TD quote's`,
      )
    }
  }
  if (report.subarray(TDREPORT_SIZE).some((b) => b !== 0)) {
    throw new VerificationError('EVIDENCE_MALFORMED', "the HCL report's TDREPORT padding is not zero")
  }
}
