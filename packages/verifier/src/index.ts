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
export { createNvidiaDpuVerifier, type NvidiaDpuVerifierOptions } from './nvidia-dpu/nvidia-dpu-verifier.ts'
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
export { CollateralError, type CollateralErrorCode } from './collateral/collateral-error.ts'
export { createDirectoryCollateral, DIRECTORY_LAYOUT_FILES } from './collateral/directory-collateral.ts'
export { directoryRequests } from './collateral/directory-requests.ts'
export { createHttpCollateral, type HttpCollateralOptions } from './collateral/http-collateral.ts'
export { createCachedCollateral, type CachedCollateralOptions } from './collateral/cached-collateral.ts'
export { createOfflineStoreCollateral, DEFAULT_OFFLINE_STORE_PATH } from './collateral/offline-store.ts'
export { exportBundle, importCollateral, writeBundleIndex } from './collateral/collateral-bundle.ts'
export { requestFromJson, requestToJson } from './collateral/collateral-request-json.ts'
export { createTpmVerifier, regularize as regularizeTpmReportData, TPM_REPORT_DATA_SIZE } from './tpm/tpm-verifier.ts'
export {
  marshalTpmsAttestQuote,
  parseTpmsAttestQuote,
  TPM_GENERATED_VALUE,
  TPM_ST_ATTEST_QUOTE,
  type PcrSelection,
  type TpmsAttestQuote,
  type TpmsClockInfo,
} from './tpm/tpms-attest.ts'
export { marshalTpmtSignature, parseTpmtSignature, type TpmtSignature } from './tpm/tpmt-signature.ts'
export { TPM_ALG } from './tpm/tpm-alg.ts'
export { verifyQuoteSignature } from './tpm/quote-signature.ts'
export { checkPcrDigest, pcrDigestSha256 } from './tpm/pcr-digest.ts'
export { checkInitDataPcr, INIT_DATA_PCR, initDataPcrValue } from './tpm/init-data-pcr.ts'
export { parseTpmEvidence, type TpmEvidence } from './tpm/tpm-evidence.ts'
export { createAzSnpVtpmVerifier } from './az-snp-vtpm/az-snp-vtpm-verifier.ts'
export { createAzTdxVtpmVerifier, type AzTdxVtpmVerifierOptions } from './az-tdx-vtpm/az-tdx-vtpm-verifier.ts'
