import type { X509Certificate } from 'node:crypto'
import type { CollateralSource, SnpProduct } from '../collateral/collateral-source.ts'
import { VerificationError } from '../verifier.ts'
import type { SnpCertEntry } from './snp-evidence.ts'
import { decodeTcb, kdsHwid } from './snp-product.ts'
import type { SnpReport } from './snp-report.ts'
import { getCollateral } from '../collateral/get-collateral.ts'

/** The key that signed the report: a VCEK (per chip and TCB) or a VLEK (per cloud provider). */
export interface SelectedVek {
  readonly kind: 'vcek' | 'vlek'
  readonly der: Uint8Array
  /** The parsed certificate when the caller has one (e.g. from a cache). */
  readonly certificate?: X509Certificate
}

/**
 * The VCEK/VLEK from the evidence's certificate table; without one, the VCEK from the collateral
 * source (AMD KDS `vcek/v1/{product}/{hwid}` at the reported TCB), or the cloud provider's VLEK for
 * the product when the report is VLEK-signed (KDS does not serve VLEKs, so a folder, cache or bundle).
 */
export async function selectVek(
  report: SnpReport,
  product: SnpProduct,
  certChain: readonly SnpCertEntry[],
  collateral: CollateralSource | undefined,
): Promise<SelectedVek> {
  const keys = certChain.filter((e) => /^(vcek|vlek)$/i.test(e.certType))
  if (keys.length > 1) throw new VerificationError('EVIDENCE_MALFORMED', 'snp evidence: more than one VCEK/VLEK')
  const [key] = keys
  if (key !== undefined) return { kind: key.certType.toLowerCase() === 'vlek' ? 'vlek' : 'vcek', der: key.data }
  if (report.signingKey === 'vlek') {
    const vlek = await getCollateral(collateral, { kind: 'amd-vlek', product })
    if (vlek === undefined) {
      throw new VerificationError('COLLATERAL_UNAVAILABLE', `no VLEK in the evidence or the collateral (${product})`)
    }
    return { kind: 'vlek', der: vlek.body }
  }
  if (report.chipId.every((b) => b === 0)) {
    throw new VerificationError('COLLATERAL_UNAVAILABLE', 'CHIP_ID is masked, so the VCEK cannot be looked up')
  }
  const request = {
    kind: 'amd-vcek',
    product,
    hwid: kdsHwid(report, product),
    tcb: decodeTcb(report.reportedTcb, product),
  } as const
  const item = await getCollateral(collateral, request)
  if (item === undefined) {
    throw new VerificationError('COLLATERAL_UNAVAILABLE', `no VCEK in the evidence or the collateral (${product})`)
  }
  return { kind: 'vcek', der: item.body }
}
