import { X509Certificate } from 'node:crypto'
import type { SnpProduct } from '../collateral/collateral-source.ts'
import { snpProduct } from '../snp/snp-product.ts'
import type { SnpReport } from '../snp/snp-report.ts'
import { VerificationError } from '../verifier.ts'

const ISSUERS: Record<string, SnpProduct> = { 'SEV-Milan': 'Milan', 'SEV-Genoa': 'Genoa', 'SEV-Turin': 'Turin' }

/**
 * The processor generation: from CPUID in a version 3+ report; Azure's HCL still embeds version 2
 * reports, which have no CPUID, so there it is the VCEK issuer's name (the chain check then proves
 * that issuer is AMD's ASK of that generation).
 */
export function azSnpProduct(report: SnpReport, vcek: X509Certificate | Uint8Array): SnpProduct {
  if (report.version >= 3) return snpProduct(report)
  let issuer: string
  try {
    issuer = (vcek instanceof X509Certificate ? vcek : new X509Certificate(vcek)).issuer
  } catch (cause) {
    throw new VerificationError('EVIDENCE_MALFORMED', 'az-snp-vtpm evidence: vcek is not a certificate', { cause })
  }
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(issuer)?.[1] ?? ''
  const product = ISSUERS[cn]
  if (product === undefined) {
    throw new VerificationError('CERT_CHAIN_INVALID', `VCEK issuer ${JSON.stringify(cn)} is not an AMD ASK`)
  }
  return product
}
