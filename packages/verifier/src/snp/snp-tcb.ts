import type { SnpProduct } from '../collateral/collateral-source.ts'
import { VerificationError } from '../verifier.ts'
import { decodeTcb, kdsHwid } from './snp-product.ts'
import type { SnpReport } from './snp-report.ts'
import type { VekExtensions } from './vek-extensions.ts'

/**
 * The VEK must be the one for this report's TCB: its SPL extensions equal REPORTED_TCB (FMC too on
 * Turin), and a VCEK's hardware id equals CHIP_ID (its first 8 bytes on Turin).
 */
export function checkSnpTcb(
  report: SnpReport,
  product: SnpProduct,
  kind: 'vcek' | 'vlek',
  extensions: VekExtensions,
): void {
  if (kind === 'vcek') {
    const hwid = extensions.hwid
    if (hwid === undefined) throw new VerificationError('CERT_CHAIN_INVALID', 'the VCEK has no hwID extension')
    if (!Buffer.from(hwid).equals(kdsHwid(report, product))) {
      throw new VerificationError('CERT_CHAIN_INVALID', "the VCEK's hwID is not the report's CHIP_ID")
    }
  }
  const reported = decodeTcb(report.reportedTcb, product)
  const fields = ['bootloader', 'tee', 'snp', 'microcode', ...(product === 'Turin' ? (['fmc'] as const) : [])] as const
  for (const field of fields) {
    const certified = extensions.tcb[field]
    if (certified === undefined) {
      throw new VerificationError('CERT_CHAIN_INVALID', `the ${kind.toUpperCase()} has no ${field} SPL extension`)
    }
    if (certified !== reported[field]) {
      throw new VerificationError(
        'TCB_OUT_OF_DATE',
        `reported TCB ${field} ${String(reported[field])} is not the ${kind.toUpperCase()}'s ${String(certified)}`,
      )
    }
  }
}
