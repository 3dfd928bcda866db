import { checkHclVarDataBinding } from '../tpm/hcl-report.ts'
import { checkHclVtpm } from '../tpm/hcl-vtpm.ts'
import { checkInitDataPcr } from '../tpm/init-data-pcr.ts'
import { withVtpmClaims } from '../tpm/vtpm-claims.ts'
import { checkSnpVmpl } from '../snp/snp-binding.ts'
import { amdRoots, type AmdRoots } from '../snp/amd-roots.ts'
import { verifySnpCertificates } from '../snp/snp-chain.ts'
import type { SnpProduct } from '../collateral/collateral-source.ts'
import { parseSnpReport } from '../snp/snp-report.ts'
import { verifySnpSignature } from '../snp/snp-signature.ts'
import { checkSnpTcb } from '../snp/snp-tcb.ts'
import { vekExtensions } from '../snp/vek-extensions.ts'
import type { Verifier } from '../verifier.ts'
import { azSnpClaims } from './az-snp-claims.ts'
import { parseAzSnpEvidence } from './az-snp-evidence.ts'
import { azSnpProduct } from './az-snp-product.ts'

/**
 * Azure SEV-SNP CVM with the paravisor's vTPM (class cpu), evidence versions 0–2. The quote is
 * signed by the HCL attestation key and carries the expected report data as its nonce; the HCL
 * variable data (holding that key) is hashed into the SNP report's REPORT_DATA; the SNP report is
 * then checked as for `snp` (VCEK chain to the pinned ARK, TCB and chip id, signature, VMPL 0).
 * Init data is bound through PCR8.
 */
export interface AzSnpVtpmVerifierOptions {
  /** The pinned AMD certificates per product (default: the shipped `roots/amd-<product>.pem`). */
  readonly roots?: (product: SnpProduct) => AmdRoots
}

export function createAzSnpVtpmVerifier(options: AzSnpVtpmVerifierOptions = {}): Verifier {
  const roots = options.roots ?? amdRoots
  return {
    async verify(evidence, expected, context) {
      const at = context?.at ?? new Date()
      const parsed = parseAzSnpEvidence(evidence)
      const { hcl, quote } = checkHclVtpm(parsed, 'snp', expected.reportData)
      const report = parseSnpReport(hcl.hardwareReport)
      checkHclVarDataBinding(hcl, report.reportData)
      const product = azSnpProduct(report, parsed.vcek)
      const vek = { kind: 'vcek', der: parsed.vcekDer, certificate: parsed.vcek } as const
      const { vek: leaf } = await verifySnpCertificates(vek, product, roots(product), [], context?.collateral, at)
      checkSnpTcb(report, product, 'vcek', vekExtensions(parsed.vcek))
      verifySnpSignature(report, leaf)
      checkSnpVmpl(report)
      checkInitDataPcr(quote.pcrs, expected.initDataDigest)
      return [{ claims: withVtpmClaims(azSnpClaims(report, product), quote), teeClass: 'cpu' }]
    },
  }
}
