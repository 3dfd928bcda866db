import type { X509Certificate } from 'node:crypto'
import { NO_COLLATERAL } from '../collateral/collateral-source.ts'
import { quoteReportData } from '../dcap/quote-parse.ts'
import { evaluateQuoteTcb } from '../dcap/quote-tcb.ts'
import { verifyDcapQuote, type DcapTcbEvaluator } from '../dcap/quote-verify.ts'
import { tdxQuoteClaims } from '../tdx/tdx-claims.ts'
import { checkHclVarDataBinding } from '../tpm/hcl-report.ts'
import { checkHclVtpm } from '../tpm/hcl-vtpm.ts'
import { checkInitDataPcr } from '../tpm/init-data-pcr.ts'
import { withVtpmClaims } from '../tpm/vtpm-claims.ts'
import type { Verifier } from '../verifier.ts'
import { parseAzTdxEvidence } from './az-tdx-evidence.ts'
import { checkHclTdReport } from './hcl-td-report.ts'

export interface AzTdxVtpmVerifierOptions {
  /** The TCB step (default: Intel TCB Info + QE Identity from the collateral, `evaluateQuoteTcb`). */
  readonly evaluateTcb?: DcapTcbEvaluator
  /** Trust anchor for the PCK chain (default: the pinned Intel SGX Root CA). */
  readonly trustedRoot?: X509Certificate
}

/**
 * Azure TDX CVM with the paravisor's vTPM (class cpu), evidence versions 0–2. The quote is signed
 * by the HCL attestation key and carries the expected report data as its nonce; the TD quote is
 * verified by DCAP as for `tdx` (without an event log), and its REPORT_DATA[0..32] must be
 * SHA-256 of the HCL variable data that holds the attestation key. Init data is bound through PCR8.
 */
export function createAzTdxVtpmVerifier(options: AzTdxVtpmVerifierOptions = {}): Verifier {
  const evaluateTcb = options.evaluateTcb ?? evaluateQuoteTcb
  return {
    async verify(evidence, expected, context) {
      const at = context?.at ?? new Date()
      const parsed = parseAzTdxEvidence(evidence)
      const { hcl, quote } = checkHclVtpm(parsed, 'tdx', expected.reportData)
      const verified = await verifyDcapQuote(parsed.tdQuote, 'tdx', {
        at,
        collateral: context?.collateral ?? NO_COLLATERAL,
        evaluateTcb,
        trustedRoot: options.trustedRoot,
      })
      checkHclVarDataBinding(hcl, quoteReportData(verified.quote))
      checkHclTdReport(hcl, verified.quote)
      checkInitDataPcr(quote.pcrs, expected.initDataDigest)
      const claims = withVtpmClaims(Object.assign(tdxQuoteClaims(verified.quote), verified.dcapClaims), quote)
      return [{ claims, teeClass: 'cpu' }]
    },
  }
}
