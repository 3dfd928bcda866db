import type { CollateralSource } from '../collateral/collateral-source.ts'
import { csvReportData } from '../csv/csv-binding.ts'
import { CsvChainCache, verifyCekChain, type Sm2Signer } from '../csv/csv-chain.ts'
import { hskCekOfChip } from '../csv/hsk-cek-source.ts'
import { hygonRootSigner, pinnedHrkBytes } from '../csv/hygon-root.ts'
import { verifySm2 } from '../csv/sm2-verify.ts'
import { bytesEqual } from '../evidence-json.ts'
import {
  VerificationError,
  type ExpectedBinding,
  type VerificationContext,
  type VerifiedClaims,
  type Verifier,
} from '../verifier.ts'
import { dcuClaims } from './dcu-claims.ts'
import { dcuChipId, parseDcuEvidence, type DcuReport } from './dcu-evidence.ts'

export interface DcuVerifierOptions {
  /** The trust anchor (an 832-byte HRK certificate); default the pinned `roots/hygon-hrk.cert`. */
  readonly hrk?: Uint8Array
}

async function cekOf(
  report: DcuReport,
  hrk: Sm2Signer,
  collateral: CollateralSource | undefined,
  chains: CsvChainCache,
): Promise<Sm2Signer> {
  const { hsk, cek, origin } = await hskCekOfChip(dcuChipId(report), collateral, 'hygondcu')
  const key = CsvChainCache.key(hsk, cek)
  let signer = chains.get(key)
  if (signer === undefined) {
    signer = verifyCekChain(hrk, hsk, cek, origin, true)
    chains.set(key, signer)
  }
  return signer
}

/**
 * Hygon DCU (upstream `hygondcu`, csv-rs `api::dcu::verify_reports`): per report, the user data
 * must be the expected report data padded to 64 bytes, and the chip's CEK (HSK/CEK from the
 * collateral `hygon-hsk-cek` by the report's chip id, chained to the pinned HRK) must have signed
 * the body. Report data is mandatory (upstream refuses `NotProvided`); init data is not bound. One
 * claims set, class dcu, keyed by report index.
 */
export function createHygonDcuVerifier(options: DcuVerifierOptions = {}): Verifier {
  let hrk: Sm2Signer | undefined
  const chains = new CsvChainCache()
  return {
    async verify(
      evidence: unknown,
      expected: ExpectedBinding,
      context?: VerificationContext,
    ): Promise<VerifiedClaims[]> {
      const reports = parseDcuEvidence(evidence)
      if (expected.reportData === undefined) {
        throw new VerificationError('REPORT_DATA_MISMATCH', 'hygondcu: report data is required to verify DCU reports')
      }
      const userData = csvReportData(expected.reportData)
      hrk ??= hygonRootSigner(options.hrk ?? pinnedHrkBytes())
      for (const [index, report] of reports.entries()) {
        if (!bytesEqual(report.userData, userData)) {
          throw new VerificationError(
            'REPORT_DATA_MISMATCH',
            `hygondcu: report ${String(index)} user data ${Buffer.from(report.userData).toString('hex')} is not the expected report data`,
          )
        }
        const cek = await cekOf(report, hrk, context?.collateral, chains)
        if (!verifySm2(cek.key, cek.identity, report.body, report.r, report.s)) {
          throw new VerificationError(
            'SIGNATURE_INVALID',
            `hygondcu: report ${String(index)} is not signed by its chip's CEK`,
          )
        }
      }
      return [{ claims: dcuClaims(reports), teeClass: 'dcu' }]
    },
  }
}
