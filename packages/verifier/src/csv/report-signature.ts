import { VerificationError } from '../verifier.ts'
import type { Sm2Signer } from './csv-chain.ts'
import type { CsvReport } from './csv-report.ts'
import { verifySm2 } from './sm2-verify.ts'

/** The report's SM2 signature by the PEK, with the PEK's distinguishing ID (csv-rs `(&pek, &tee_info)`). */
export function verifyCsvReportSignature(report: CsvReport, pek: Sm2Signer): void {
  if (!verifySm2(pek.key, pek.identity, report.signed, report.r, report.s)) {
    throw new VerificationError(
      'SIGNATURE_INVALID',
      `csv: the v${String(report.version)} report signature does not verify with the PEK`,
    )
  }
}
