import type { ExpectedBinding, VerificationContext, VerifiedClaims, Verifier } from '../verifier.ts'
import { checkCsvReportData } from './csv-binding.ts'
import { CsvChainCache, verifyCsvChain, type Sm2Signer } from './csv-chain.ts'
import { csvClaims } from './csv-claims.ts'
import { verifiedCsvEventLog } from './csv-event-log.ts'
import { parseCsvEvidence } from './csv-evidence.ts'
import { hskCekFor } from './hsk-cek-source.ts'
import { hygonRootSigner, pinnedHrkBytes } from './hygon-root.ts'
import { verifyCsvReportSignature } from './report-signature.ts'

export interface CsvVerifierOptions {
  /** The trust anchor (an 832-byte HRK certificate); default the pinned `roots/hygon-hrk.cert`. */
  readonly hrk?: Uint8Array
}

/**
 * Hygon CSV (upstream `csv` verifier): the report's SM2 signature by the PEK, the chain HRK (pinned)
 * → HSK → CEK → PEK with the HSK/CEK from the evidence or the collateral (`hygon-hsk-cek`, by chip
 * id), REPORT_DATA (padded to 64) against the expected runtime data, and for v2 reports the event
 * log replayed against RTMR1–4 (SM3). Init data is not bound (CSV has no field for it). One claims
 * set, class cpu. The HRK is checked once per verifier, chains once per content.
 */
export function createCsvVerifier(options: CsvVerifierOptions = {}): Verifier {
  let hrk: Sm2Signer | undefined
  const chains = new CsvChainCache()
  return {
    async verify(
      evidence: unknown,
      expected: ExpectedBinding,
      context?: VerificationContext,
    ): Promise<VerifiedClaims[]> {
      const parsed = parseCsvEvidence(evidence)
      hrk ??= hygonRootSigner(options.hrk ?? pinnedHrkBytes())
      const { hsk, cek, origin } = await hskCekFor(parsed, context?.collateral)
      const key = CsvChainCache.key(hsk, cek, parsed.pek)
      let pek = chains.get(key)
      if (pek === undefined) {
        pek = verifyCsvChain(hrk, hsk, cek, parsed.pek, origin)
        chains.set(key, pek)
      }
      const report = parsed.report
      verifyCsvReportSignature(report, pek)
      if (expected.reportData !== undefined) checkCsvReportData(report, expected.reportData)
      const eventLog =
        report.v2 !== undefined && parsed.ccEventLog !== undefined
          ? verifiedCsvEventLog(parsed.ccEventLog, report.v2.rtmrs)
          : undefined
      return [{ claims: csvClaims(report, parsed.chipId, eventLog), teeClass: 'cpu' }]
    },
  }
}
