import type { HclReport } from './hcl-report.ts'
import { checkHclUserData, checkHclUserDataUnset, hclAttestationKey, parseHclReport } from './hcl-report.ts'
import { checkVtpmQuote, type CheckedVtpmQuote, type VtpmQuote } from './vtpm-quote.ts'
import { VerificationError } from '../verifier.ts'

/** What both Azure vTPM evidence forms carry before their hardware report. */
export interface HclVtpmEvidence {
  readonly version: 0 | 1 | 2
  readonly quote: VtpmQuote
  readonly hclReport: Uint8Array
}

/**
 * The Azure vTPM steps shared by `az-snp-vtpm` and `az-tdx-vtpm`: the HCL report of the expected
 * kind, the vTPM quote signed by its attestation key over the expected report data, and the HCL
 * `user-data` (unset before evidence v2, the expected report data from v2 on).
 */
export function checkHclVtpm(
  evidence: HclVtpmEvidence,
  kind: HclReport['reportType'],
  expectedReportData: Uint8Array | undefined,
): { readonly hcl: HclReport; readonly quote: CheckedVtpmQuote } {
  const hcl = parseHclReport(evidence.hclReport)
  if (hcl.reportType !== kind) {
    throw new VerificationError(
      'EVIDENCE_MALFORMED',
      `az-${kind}-vtpm evidence: the HCL report is not ${kind === 'snp' ? 'an SNP' : 'a TDX'} report`,
    )
  }
  const quote = checkVtpmQuote(evidence.quote, hclAttestationKey(hcl), expectedReportData)
  if (evidence.version < 2) checkHclUserDataUnset(hcl)
  else if (expectedReportData !== undefined) checkHclUserData(hcl, expectedReportData)
  return { hcl, quote }
}
