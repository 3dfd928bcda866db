import type { X509Certificate } from 'node:crypto'
import { NO_COLLATERAL } from '../collateral/collateral-source.ts'
import { quoteInitDataField, quoteReportData } from '../dcap/quote-parse.ts'
import { evaluateQuoteTcb } from '../dcap/quote-tcb.ts'
import { checkInitData, checkReportData, verifyDcapQuote, type DcapTcbEvaluator } from '../dcap/quote-verify.ts'
import { base64Field, evidenceObject } from '../evidence-json.ts'
import { onlyFields } from '../only-fields.ts'
import type { Verifier } from '../verifier.ts'
import { sgxQuoteClaims } from './sgx-claims.ts'

/** Upstream's `SgxEvidence` fields (sgx/mod.rs); nothing signs the JSON, so nothing else is taken. */
const FIELDS: ReadonlySet<string> = new Set(['quote'])

export interface SgxVerifierOptions {
  /** The TCB step (default: TCB Info + QE Identity from the collateral, Intel's rules). */
  readonly evaluateTcb?: DcapTcbEvaluator
  /** Trust anchor for the PCK chain (default: the pinned Intel SGX Root CA). */
  readonly trustedRoot?: X509Certificate
}

/**
 * Upstream's `sgx` verifier: evidence `{"quote":"<b64>"}`, a DCAP SGX quote (v3; v4/v5 SGX bodies
 * parse the same). Report data padded to 64 against the enclave's; the init-data digest
 * padded/truncated to 64 against `config_id`.
 */
export function createSgxVerifier(options: SgxVerifierOptions = {}): Verifier {
  const evaluateTcb = options.evaluateTcb ?? evaluateQuoteTcb
  return {
    async verify(evidence, expected, context) {
      const at = context?.at ?? new Date()
      const object = evidenceObject(evidence, 'sgx')
      onlyFields(object, FIELDS, 'sgx evidence')
      const quoteBytes = base64Field(object, 'quote', 'sgx')
      const verified = await verifyDcapQuote(quoteBytes, 'sgx', {
        at,
        collateral: context?.collateral ?? NO_COLLATERAL,
        evaluateTcb,
        ...(options.trustedRoot === undefined ? {} : { trustedRoot: options.trustedRoot }),
      })
      checkReportData(quoteReportData(verified.quote), expected.reportData)
      checkInitData(quoteInitDataField(verified.quote), expected.initDataDigest)
      // Object.assign, not a second spread: V8 adds properties to a spread clone at ~1 µs each.
      return [{ claims: Object.assign(sgxQuoteClaims(verified.quote), verified.dcapClaims), teeClass: 'cpu' }]
    },
  }
}
