import { verify, type KeyObject } from 'node:crypto'
import { DerCursor, DerTag, derIntegerBytes, readDer } from '../pkix/der.ts'
import { VerificationError } from '../verifier.ts'

const P384_SCALAR = 48

/** DER `ECDSA-Sig-Value` when it parses as one; otherwise r‖s (96 bytes), as upstream tries them. */
function signatureEncoding(signature: Uint8Array): 'der' | 'ieee-p1363' {
  try {
    const sig = new DerCursor(readDer(signature), DerTag.sequence, 'ECDSA-Sig-Value')
    derIntegerBytes(sig.next(DerTag.integer, 'r'))
    derIntegerBytes(sig.next(DerTag.integer, 's'))
    sig.end('ECDSA-Sig-Value')
    return 'der'
  } catch {
    if (signature.length === 2 * P384_SCALAR) return 'ieee-p1363'
    throw new VerificationError(
      'EVIDENCE_MALFORMED',
      'nvidia-dpu: report_data_signature is neither a DER ECDSA signature nor 96 bytes of r‖s',
    )
  }
}

/** What the attester signs: the report data zero-padded or cut to 64 bytes. */
const ATTESTER_REPORT_DATA_SIZE = 64

function signs(
  aliasKey: KeyObject,
  signature: Uint8Array,
  message: Uint8Array,
  dsaEncoding: 'der' | 'ieee-p1363',
): boolean {
  try {
    return verify('sha384', message, { key: aliasKey, dsaEncoding }, signature)
  } catch {
    return false
  }
}

/**
 * The freshness binding: the Alias key's ECDSA P-384 (SHA-384) signature over the expected report
 * data — exactly those bytes (what upstream's verifier checks), or those bytes zero-padded or cut
 * to 64 (what upstream's attester signs; the two agree for 64-byte report data). The evidence does
 * not carry the signed bytes, so a signature over other report data and an altered signature look
 * the same: both are `REPORT_DATA_MISMATCH`.
 */
export function verifyReportDataSignature(aliasKey: KeyObject, signature: Uint8Array, reportData: Uint8Array): void {
  const dsaEncoding = signatureEncoding(signature)
  const regular = new Uint8Array(ATTESTER_REPORT_DATA_SIZE)
  regular.set(reportData.subarray(0, ATTESTER_REPORT_DATA_SIZE))
  // The attester's form first: it is what real evidence carries.
  const valid =
    signs(aliasKey, signature, regular, dsaEncoding) ||
    (reportData.length !== ATTESTER_REPORT_DATA_SIZE && signs(aliasKey, signature, reportData, dsaEncoding))
  if (!valid) {
    throw new VerificationError(
      'REPORT_DATA_MISMATCH',
      'nvidia-dpu: report_data_signature is not the Alias key’s signature over the expected report data',
    )
  }
}
