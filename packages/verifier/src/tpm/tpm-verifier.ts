import type { JsonObject } from '@carapace/protocol'
import { bytesEqual } from '../evidence-json.ts'
import { VerificationError, type Verifier } from '../verifier.ts'
import { checkInitDataPcr, INIT_DATA_PCR } from './init-data-pcr.ts'
import { checkPcrDigest } from './pcr-digest.ts'
import { pcrClaims } from './pcr-values.ts'
import { verifyQuoteSignature } from './quote-signature.ts'
import { parseTpmEvidence } from './tpm-evidence.ts'

/** The TPM attester resizes the 48-byte runtime-data digest to the 32 bytes it quotes as extraData. */
export const TPM_REPORT_DATA_SIZE = 32

const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')

/** Zero-pads or truncates to `size` bytes (upstream's `regularize_data`). */
export function regularize(data: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size)
  out.set(data.subarray(0, size))
  return out
}

/** `actual` == `regularize(data, size)`, without building the regularized copy on every call. */
export function equalsRegularized(actual: Uint8Array, data: Uint8Array, size: number): boolean {
  if (actual.length !== size) return false
  const shared = Math.min(data.length, size)
  if (!bytesEqual(actual.subarray(0, shared), data.subarray(0, shared))) return false
  for (let i = shared; i < size; i++) if (actual[i] !== 0) return false
  return true
}

/**
 * Trustee's `tpm` verifier (class cpu). Checks: the quote is signed by `ak_public` (RSASSA,
 * RSA-PSS or ECDSA), the PCR values hash to the quoted digest, extraData == the expected report
 * data regularized to 32 bytes, PCR8 == the init-data extend. The AK itself is NOT trusted here:
 * as upstream, it is reported as the claim `ak_public` and a policy must match it against
 * reference values (`trusted_aks`) — without that policy any TPM-shaped signer is accepted.
 */
export function createTpmVerifier(): Verifier {
  return {
    verify(evidence, expected) {
      return new Promise((resolve) => {
        const parsed = parseTpmEvidence(evidence)
        verifyQuoteSignature(parsed.message, parsed.signature, parsed.ak)
        const pcrs = checkPcrDigest(parsed.attest, parsed.pcrs)
        if (
          expected.reportData !== undefined &&
          !equalsRegularized(parsed.attest.extraData, expected.reportData, TPM_REPORT_DATA_SIZE)
        ) {
          throw new VerificationError('REPORT_DATA_MISMATCH', 'TPM quote extraData is not the expected report data')
        }
        checkInitDataPcr(pcrs, expected.initDataDigest)
        const pcr8 = pcrs.get(INIT_DATA_PCR)
        const claims: JsonObject = pcrClaims(pcrs)
        claims['report_data'] = hex(parsed.attest.extraData)
        claims['ak_public'] = parsed.akPublicBase64
        if (pcr8 !== undefined) claims['init_data'] = hex(pcr8)
        resolve([{ claims, teeClass: 'cpu' }])
      })
    },
  }
}
