import type { SnpProduct } from '../collateral/collateral-source.ts'
import type { Verifier } from '../verifier.ts'
import { amdRoots, type AmdRoots } from './amd-roots.ts'
import { checkSnpBinding, checkSnpVmpl } from './snp-binding.ts'
import { verifySnpCertificates } from './snp-chain.ts'
import { snpClaims } from './snp-claims.ts'
import { parseSnpEvidence } from './snp-evidence.ts'
import { snpProduct } from './snp-product.ts'
import { checkSnpReportVersion, parseSnpReport } from './snp-report.ts'
import { verifySnpSignature } from './snp-signature.ts'
import { checkSnpTcb } from './snp-tcb.ts'
import { vekExtensions } from './vek-extensions.ts'
import { createVekCache } from './vek-cache.ts'
import { selectVek } from './vek-select.ts'

/**
 * AMD SEV-SNP (class cpu): report v3–v5, product from CPUID, VCEK/VLEK from the evidence or the
 * collateral, chain to the pinned ARK, TCB and chip id against the VEK, report signature, VMPL 0,
 * REPORT_DATA and HOST_DATA binding; claims as upstream's verifier.
 */
export interface SnpVerifierOptions {
  /** The pinned AMD certificates per product (default: the shipped `roots/amd-<product>.pem`). */
  readonly roots?: (product: SnpProduct) => AmdRoots
}

export function createSnpVerifier(options: SnpVerifierOptions = {}): Verifier {
  const roots = options.roots ?? amdRoots
  const cache = createVekCache()
  return {
    async verify(evidence, expected, context) {
      const at = context?.at ?? new Date()
      const collateral = context?.collateral
      const { report: bytes, certChain } = parseSnpEvidence(evidence)
      const report = parseSnpReport(bytes)
      checkSnpReportVersion(report)
      const product = snpProduct(report)
      const selected = await selectVek(report, product, certChain, collateral)
      const vek = { ...selected, certificate: cache.certificate(selected.der) }
      const chain = await verifySnpCertificates(vek, product, roots(product), certChain, collateral, at)
      checkSnpTcb(report, product, vek.kind, vekExtensions(vek.certificate))
      verifySnpSignature(report, chain.vek)
      checkSnpVmpl(report)
      checkSnpBinding(report, expected)
      return [{ claims: snpClaims(report, product), teeClass: 'cpu' }]
    },
  }
}
