export * from './verifier.ts'
export * from './verifier-table.ts'
export { createSampleVerifier } from './sample/sample-verifier.ts'
export { createSampleDeviceVerifier } from './sampledevice/sampledevice-verifier.ts'
export * from './collateral/collateral-source.ts'
export * from './pkix/der.ts'
export * from './pkix/der-time.ts'
export * from './pkix/certificate.ts'
export * from './pkix/standard-extensions.ts'
export * from './pkix/signature-algorithm.ts'
export * from './pkix/pem.ts'
export * from './pkix/crl.ts'
export * from './pkix/certificate-chain.ts'
export { createSnpVerifier, type SnpVerifierOptions } from './snp/snp-verifier.ts'
export { parseSnpEvidence, reportToJson, snpEvidenceJson, type SnpCertEntry } from './snp/snp-evidence.ts'
export { createNvidiaVerifier } from './nvidia/nvidia-verifier.ts'
export { createCcaVerifier, DEFAULT_CCA_CONFIG, type CcaVerifierOptions } from './cca/cca-verifier.ts'
export { loadTrustAnchorsFromConfig, parseTrustAnchorStore, type CcaTrustAnchor } from './cca/trust-anchors.ts'
export { createTdxVerifier, type TdxEventLogReplay, type TdxVerifierOptions } from './tdx/tdx-verifier.ts'
export { createSgxVerifier, type SgxVerifierOptions } from './sgx/sgx-verifier.ts'
export { parseDcapQuote, type DcapQuote, type QuoteBodyKind } from './dcap/quote-parse.ts'
export {
  verifyDcapQuote,
  type DcapTcbEvaluator,
  type DcapTcbRequest,
  type DcapTcbResult,
  type VerifiedDcapQuote,
} from './dcap/quote-verify.ts'
export { evaluateQuoteTcb } from './dcap/quote-tcb.ts'
export { parsePckExtensions, type PckExtensions } from './dcap/pck-extensions.ts'
