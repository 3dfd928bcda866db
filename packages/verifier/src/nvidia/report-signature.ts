import { verify, type X509Certificate } from 'node:crypto'
import { VerificationError } from '../verifier.ts'
import type { SpdmMeasurementReport } from './spdm-measurements.ts'

/** The MEASUREMENTS signature: ECDSA P-384 with SHA-384, raw r ‖ s, by the signing certificate's key. */
export function verifyReportSignature(report: SpdmMeasurementReport, leaf: X509Certificate): void {
  const key = leaf.publicKey
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'secp384r1') {
    throw new VerificationError('CERT_CHAIN_INVALID', 'NVIDIA signing certificate: the key is not ECDSA P-384')
  }
  const ok = verify('sha384', report.signedBytes, { key, dsaEncoding: 'ieee-p1363' }, report.signature)
  if (!ok) throw new VerificationError('SIGNATURE_INVALID', 'NVIDIA SPDM measurement signature does not verify')
}
