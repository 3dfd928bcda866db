import { VerificationError } from '../verifier.ts'

/**
 * The SEV-SNP ATTESTATION_REPORT (SEV-SNP Firmware ABI, versions 2–5): 1184 bytes, little-endian,
 * signed over bytes 0x000..0x29F. Only the fields the verifier reads are decoded; the raw bytes
 * stay with the report because the signature covers them as they are.
 */

export const SNP_REPORT_SIZE = 0x4a0
export const SNP_SIGNED_LENGTH = 0x2a0

export const SnpOffset = {
  version: 0x00,
  guestSvn: 0x04,
  policy: 0x08,
  familyId: 0x10,
  imageId: 0x20,
  vmpl: 0x30,
  signatureAlgo: 0x34,
  currentTcb: 0x38,
  platformInfo: 0x40,
  signerInfo: 0x48,
  reportData: 0x50,
  measurement: 0x90,
  hostData: 0xc0,
  idKeyDigest: 0xe0,
  authorKeyDigest: 0x110,
  reportId: 0x140,
  reportIdMa: 0x160,
  reportedTcb: 0x180,
  cpuidFamId: 0x188,
  cpuidModId: 0x189,
  cpuidStep: 0x18a,
  chipId: 0x1a0,
  committedTcb: 0x1e0,
  currentBuild: 0x1e8,
  currentMinor: 0x1e9,
  currentMajor: 0x1ea,
  committedBuild: 0x1ec,
  committedMinor: 0x1ed,
  committedMajor: 0x1ee,
  launchTcb: 0x1f0,
  launchMitVector: 0x1f8,
  currentMitVector: 0x200,
  signatureR: 0x2a0,
  signatureS: 0x2e8,
} as const

/** Length of each signature component (little-endian, zero-extended P-384 scalars). */
export const SNP_SIGNATURE_COMPONENT = 72

/** How the signing key is named in the report's signer info (bits 4:2). */
export type SnpSigningKey = 'vcek' | 'vlek' | 'none' | 'reserved'

export interface SnpReport {
  /** The whole report as received (the signature covers bytes 0..0x29F of it). */
  readonly bytes: Uint8Array
  readonly version: number
  readonly policy: bigint
  readonly vmpl: number
  readonly signatureAlgo: number
  readonly platformInfo: bigint
  readonly authorKeyEnabled: boolean
  readonly maskChipKey: boolean
  readonly signingKey: SnpSigningKey
  readonly reportData: Uint8Array
  readonly measurement: Uint8Array
  readonly hostData: Uint8Array
  /** Raw 8-byte TCB_VERSION; its byte layout depends on the product (see snp-product.ts). */
  readonly reportedTcb: Uint8Array
  /** Version 3+; 0 in version 2 reports. */
  readonly cpuidFamId: number
  readonly cpuidModId: number
  readonly cpuidStep: number
  readonly chipId: Uint8Array
}

const SIGNING_KEYS: Record<number, SnpSigningKey> = { 0: 'vcek', 1: 'vlek', 7: 'none' }

/** Decodes a raw report; `EVIDENCE_MALFORMED` unless it is exactly 1184 bytes. */
export function parseSnpReport(input: Uint8Array): SnpReport {
  if (input.length !== SNP_REPORT_SIZE) {
    throw new VerificationError(
      'EVIDENCE_MALFORMED',
      `SNP report must be ${String(SNP_REPORT_SIZE)} bytes, got ${String(input.length)}`,
    )
  }
  const bytes = new Uint8Array(input)
  // Nothing signs the bytes after r and s; they must be zero so that no two accepted reports differ.
  if (bytes.subarray(SnpOffset.signatureS + SNP_SIGNATURE_COMPONENT).some((b) => b !== 0)) {
    throw new VerificationError('EVIDENCE_MALFORMED', 'SNP report: the reserved bytes after the signature are not zero')
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const slice = (offset: number, length: number): Uint8Array => bytes.slice(offset, offset + length)
  const signerInfo = view.getUint32(SnpOffset.signerInfo, true)
  return {
    bytes,
    version: view.getUint32(SnpOffset.version, true),
    policy: view.getBigUint64(SnpOffset.policy, true),
    vmpl: view.getUint32(SnpOffset.vmpl, true),
    signatureAlgo: view.getUint32(SnpOffset.signatureAlgo, true),
    platformInfo: view.getBigUint64(SnpOffset.platformInfo, true),
    authorKeyEnabled: (signerInfo & 1) !== 0,
    maskChipKey: (signerInfo & 2) !== 0,
    signingKey: SIGNING_KEYS[(signerInfo >> 2) & 7] ?? 'reserved',
    reportData: slice(SnpOffset.reportData, 64),
    measurement: slice(SnpOffset.measurement, 48),
    hostData: slice(SnpOffset.hostData, 32),
    reportedTcb: slice(SnpOffset.reportedTcb, 8),
    cpuidFamId: bytes[SnpOffset.cpuidFamId] as number,
    cpuidModId: bytes[SnpOffset.cpuidModId] as number,
    cpuidStep: bytes[SnpOffset.cpuidStep] as number,
    chipId: slice(SnpOffset.chipId, 64),
  }
}

/** Report versions this verifier accepts: 3 (first with CPUID fields, needed for the product) to 5. */
export function checkSnpReportVersion(report: SnpReport): void {
  if (report.version < 3 || report.version > 5) {
    throw new VerificationError(
      'UNSUPPORTED_VERSION',
      `SNP report version ${String(report.version)} is not supported (3 to 5 are)`,
    )
  }
}
