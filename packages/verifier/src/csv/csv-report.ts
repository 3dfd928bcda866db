import { VerificationError } from '../verifier.ts'
import { ALGO_SM2_SA, littleEndianBigInt, USAGE } from './hygon-cert.ts'

/*
 * The CSV attestation report (csv-rs `api::guest`), 4096 bytes behind a wrapper whose magic and
 * flags name the format: zero magic or `ATTESTATION_EXT\0` with flags 0 is the legacy report (v1,
 * `TeeInfoV1`, 0x150 bytes), `ATTESTATION_EXT\0` with flags 1 the extended report (v2, `TeeInfoV2`,
 * 0x490 bytes, with RTMRs). In v1 the firmware masks every field with a 4-byte nonce (`anonce`,
 * XOR, little-endian) and signs the masked bytes up to the policy; v2 is plain and signs everything
 * before the signature. The signer block after the tee info (PEK copy, chip id, HMAC) is not signed
 * and not read here: the PEK comes from the evidence's certificate chain.
 */

export const REPORT_SIZE = 4096
const EXT_MAGIC = Buffer.from('ATTESTATION_EXT\0', 'latin1')

export interface CsvReportV2Fields {
  readonly build: number
  readonly rtmrVersion: number
  readonly reserved0: Uint8Array
  /** RTMR0–4 (SM3); RTMR0 equals the launch measurement. */
  readonly rtmrs: readonly Uint8Array[]
  readonly reserved1: Uint8Array
}

export interface CsvReport {
  readonly version: 1 | 2
  /** The bytes the PEK signed. */
  readonly signed: Uint8Array
  readonly r: bigint
  readonly s: bigint
  /** v1: the masking nonce; v2: 0. */
  readonly anonce: number
  // Unmasked values:
  readonly userPubkeyDigest: Uint8Array
  readonly vmId: Uint8Array
  readonly vmVersion: Uint8Array
  readonly reportData: Uint8Array
  readonly mnonce: Uint8Array
  readonly measure: Uint8Array
  readonly policy: number
  readonly sigUsage: number
  readonly sigAlgo: number
  readonly v2?: CsvReportV2Fields
}

function reportVersion(magic: Uint8Array, flags: number): 1 | 2 {
  if (magic.every((b) => b === 0)) return 1
  if (!Buffer.from(magic).equals(EXT_MAGIC)) {
    throw new VerificationError(
      'EVIDENCE_MALFORMED',
      'csv attestation_report.magic is neither zero nor ATTESTATION_EXT',
    )
  }
  if (flags === 0) return 1
  if (flags === 1) return 2
  throw new VerificationError('UNSUPPORTED_VERSION', `csv extended report flags ${String(flags)} (0 or 1 known)`)
}

/** Parses the wrapper's 4096 data bytes as the report its magic and flags name. */
export function parseCsvReport(magic: Uint8Array, flags: number, data: Uint8Array): CsvReport {
  if (data.length !== REPORT_SIZE) {
    throw new VerificationError('EVIDENCE_MALFORMED', `csv attestation_report.data: ${String(data.length)} bytes`)
  }
  const version = reportVersion(magic, flags)
  const bytes = Uint8Array.from(data)
  const view = new DataView(bytes.buffer)
  const anonce = version === 1 ? view.getUint32(188, true) : 0
  const mask = Buffer.alloc(4)
  mask.writeUInt32LE(anonce)
  const field = (at: number, length: number): Uint8Array => {
    const out = bytes.slice(at, at + length)
    if (anonce !== 0) for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) ^ (mask[i % 4] ?? 0)
    return out
  }
  const word = (at: number): number => (view.getUint32(at, true) ^ anonce) >>> 0
  const sigAt = version === 1 ? 192 : 1024
  const report: CsvReport = {
    version,
    signed: bytes.subarray(0, version === 1 ? 180 : 1024),
    r: littleEndianBigInt(bytes.subarray(sigAt, sigAt + 72)),
    s: littleEndianBigInt(bytes.subarray(sigAt + 72, sigAt + 144)),
    anonce,
    userPubkeyDigest: field(0, 32),
    vmId: field(32, 16),
    vmVersion: field(48, 16),
    reportData: field(64, 64),
    mnonce: field(128, 16),
    measure: field(144, 32),
    policy: word(176),
    sigUsage: word(180),
    sigAlgo: word(184),
    ...(version === 2
      ? {
          v2: {
            build: view.getUint32(188, true),
            rtmrVersion: view.getUint16(192, true),
            reserved0: bytes.slice(194, 208),
            rtmrs: [0, 1, 2, 3, 4].map((n) => bytes.slice(208 + n * 32, 240 + n * 32)),
            reserved1: bytes.slice(368, 1024),
          },
        }
      : {}),
  }
  // v1 leaves these two words unsigned; only the PEK-signed SM2 form is a report.
  if (report.sigUsage !== USAGE.PEK || report.sigAlgo !== ALGO_SM2_SA) {
    throw new VerificationError(
      'EVIDENCE_MALFORMED',
      `csv report: signature usage 0x${report.sigUsage.toString(16)} / algorithm ${String(report.sigAlgo)}, expected PEK / SM2`,
    )
  }
  return report
}
