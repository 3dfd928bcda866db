import type { X509Certificate } from 'node:crypto'
import { bytesEqual } from '../evidence-json.ts'
import { VerificationError, type ExpectedBinding, type VerifiedClaims, type Verifier } from '../verifier.ts'
import { nvidiaDeviceClaims } from './nvidia-claims.ts'
import { checkReportFwid, parsePemChain, verifyNvidiaChain, type NvidiaSigner } from './nvidia-cert-chain.ts'
import { parseNvidiaEvidence, type NvidiaDeviceEvidence } from './nvidia-evidence.ts'
import { nvidiaRoot } from './nvidia-root.ts'
import { decodeOpaqueData } from './opaque-data.ts'
import { verifyReportSignature } from './report-signature.ts'
import { SPDM_NONCE_SIZE, parseSpdmMeasurementReport } from './spdm-measurements.ts'
import { VerifiedChainCache } from './verified-chain-cache.ts'

/** The SPDM nonce the report data gives: its first 32 bytes, zero-padded when shorter. */
export function expectedSpdmNonce(reportData: Uint8Array): Uint8Array {
  const nonce = new Uint8Array(SPDM_NONCE_SIZE)
  nonce.set(reportData.subarray(0, SPDM_NONCE_SIZE))
  return nonce
}

function signerOf(
  device: NvidiaDeviceEvidence,
  root: X509Certificate,
  at: Date,
  cache: VerifiedChainCache,
): NvidiaSigner {
  const key = VerifiedChainCache.key(device.certificateChainPem, root)
  const cached = cache.get(key, at)
  if (cached !== undefined) return cached
  const chain = parsePemChain(device.certificateChainPem)
  const signer = verifyNvidiaChain(chain, root, at)
  cache.set(key, chain, signer)
  return signer
}

function verifyDevice(
  device: NvidiaDeviceEvidence,
  nonce: Uint8Array | undefined,
  root: X509Certificate,
  at: Date,
  cache: VerifiedChainCache,
): VerifiedClaims {
  if (device.arch !== 'Hopper') {
    throw new VerificationError(
      'UNSUPPORTED_VERSION',
      `nvidia: local verification supports Hopper GPUs' reports, not ${device.arch}'s`,
    )
  }
  const report = parseSpdmMeasurementReport(device.report)
  const config = decodeOpaqueData(report.opaqueData)
  const fwid = typeof config.fwid === 'string' ? config.fwid : undefined
  const signer = signerOf(device, root, at, cache)
  checkReportFwid(signer, fwid)
  verifyReportSignature(report, signer.leaf)
  if (nonce !== undefined && !bytesEqual(report.requestNonce, nonce)) {
    throw new VerificationError('REPORT_DATA_MISMATCH', 'nvidia: the SPDM nonce is not the expected report data')
  }
  return { claims: nvidiaDeviceClaims(device, report, config), teeClass: 'gpu' }
}

/**
 * NVIDIA GPUs in Trustee's local mode (Hopper): per device the SPDM 1.1 MEASUREMENTS signature by
 * the signing certificate, its chain to the NVIDIA Device Identity CA (pinned, or `nvidia-root`
 * from the collateral), the FWID binding and the nonce; one claims set (class gpu) per device.
 * NVIDIA GPUs do not bind init data. Validated chains are remembered per verifier (see
 * `VerifiedChainCache`).
 */
export function createNvidiaVerifier(): Verifier {
  const cache = new VerifiedChainCache()
  return {
    async verify(evidence: unknown, expected: ExpectedBinding, context) {
      const at = context?.at ?? new Date()
      const devices = parseNvidiaEvidence(evidence)
      const root = await nvidiaRoot(context?.collateral)
      const nonce = expected.reportData === undefined ? undefined : expectedSpdmNonce(expected.reportData)
      return devices.map((device) => verifyDevice(device, nonce, root, at, cache))
    },
  }
}
