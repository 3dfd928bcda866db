import type { KeyObject } from 'node:crypto'
import { VerificationError, type ExpectedBinding, type VerifiedClaims, type Verifier } from '../verifier.ts'
import { parseDiceCertificate } from './dice-certificate.ts'
import { DEFAULT_MAX_CERT_AGE_SECS, verifyDiceChain } from './dice-chain.ts'
import { nvidiaDpuClaims } from './nvidia-dpu-claims.ts'
import { parseNvidiaDpuEvidence } from './nvidia-dpu-evidence.ts'
import { nvidiaDpuRootKey } from './nvidia-dpu-root-ca.ts'
import { verifyReportDataSignature } from './report-data-signature.ts'

/** `nvidia_dpu_verifier` of the AS `verifier_config`. */
export interface NvidiaDpuVerifierOptions {
  /** The content of `root_ca_cert_path` (PEM or DER); without it every verification is COLLATERAL_UNAVAILABLE. */
  readonly rootCa?: Uint8Array | string
  /** `max_cert_age_secs`: the oldest Alias certificate accepted (default 3600). */
  readonly maxCertAgeSecs?: number
}

/**
 * NVIDIA BlueField DPUs (TCG DICE), as upstream's `nvidia-dpu` verifier: one device per evidence,
 * its DeviceID certificate signed by the configured root CA, the Alias certificate by the DeviceID
 * key and fresh (`max_cert_age_secs`), and the Alias key's signature over the report data. DPUs
 * bind no init data (an expected digest is ignored, as upstream). Class `nvidia-dpu`.
 */
export function createNvidiaDpuVerifier(options: NvidiaDpuVerifierOptions = {}): Verifier {
  const rootKey: KeyObject | undefined = options.rootCa === undefined ? undefined : nvidiaDpuRootKey(options.rootCa)
  const maxCertAgeSecs = options.maxCertAgeSecs ?? DEFAULT_MAX_CERT_AGE_SECS
  if (!Number.isSafeInteger(maxCertAgeSecs) || maxCertAgeSecs < 0) {
    throw new RangeError(`nvidia-dpu: max_cert_age_secs must be a non-negative integer, got ${String(maxCertAgeSecs)}`)
  }
  return {
    verify(evidence: unknown, expected: ExpectedBinding, context): Promise<VerifiedClaims[]> {
      return Promise.resolve().then(() => {
        const at = context?.at ?? new Date()
        const { device } = parseNvidiaDpuEvidence(evidence)
        const chain = {
          deviceId: parseDiceCertificate(device.deviceIdCert, 'DeviceID'),
          alias: parseDiceCertificate(device.aliasCert, 'Alias'),
        }
        if (rootKey === undefined) {
          throw new VerificationError(
            'COLLATERAL_UNAVAILABLE',
            'nvidia-dpu: no root CA configured (verifier_config.nvidia_dpu_verifier.root_ca_cert_path, or --nvidia-dpu-root-ca)',
          )
        }
        verifyDiceChain(chain, rootKey, at, maxCertAgeSecs)
        const reportData = expected.reportData
        if (reportData !== undefined)
          verifyReportDataSignature(chain.alias.publicKey, device.reportDataSignature, reportData)
        return [{ claims: nvidiaDpuClaims(chain, reportData), teeClass: 'nvidia-dpu' as const }]
      })
    },
  }
}
