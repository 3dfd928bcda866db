import { createHash, createPublicKey, verify, type KeyObject, type X509Certificate } from 'node:crypto'
import { VerificationError } from '../verifier.ts'
import type { DcapQuote } from './quote-parse.ts'

/** Imported attestation keys by their exact 64 bytes: a platform's QE signs every quote with one key. */
const attestationKeys = new Map<string, KeyObject>()
const ATTESTATION_KEYS_MAX = 256

/** The quote's attestation key (raw P-256 X‖Y) as a public key (imported once per exact bytes). */
export function attestationPublicKey(raw: Uint8Array): KeyObject {
  const id = Buffer.from(raw.subarray(0, 64)).toString('base64')
  const known = attestationKeys.get(id)
  if (known !== undefined) return known
  let key: KeyObject
  try {
    key = createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: Buffer.from(raw.subarray(0, 32)).toString('base64url'),
        y: Buffer.from(raw.subarray(32, 64)).toString('base64url'),
      },
      format: 'jwk',
    })
  } catch (cause) {
    throw new VerificationError('SIGNATURE_INVALID', 'DCAP quote: the attestation key is not a P-256 point', { cause })
  }
  if (attestationKeys.size >= ATTESTATION_KEYS_MAX) attestationKeys.delete(attestationKeys.keys().next().value ?? '')
  attestationKeys.set(id, key)
  return key
}

function verifyP256(key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature)
  } catch {
    return false
  }
}

/** The quote signature (header and body) by the attestation key. */
export function checkQuoteSignature(quote: DcapQuote): void {
  if (!verifyP256(attestationPublicKey(quote.attestationKey), quote.signedBytes, quote.signature)) {
    throw new VerificationError('SIGNATURE_INVALID', 'DCAP quote: the quote signature does not verify')
  }
}

/**
 * The QE report signature by the PCK leaf, and the QE report's binding of the attestation key:
 * report_data = SHA-256(attestation key ‖ QE auth data) ‖ 32 zero bytes.
 */
export function checkQeReport(quote: DcapQuote, pckLeaf: X509Certificate): void {
  const { qeReport, qeReportSignature, qeAuthData } = quote.qe
  if (!verifyP256(pckLeaf.publicKey, qeReport, qeReportSignature)) {
    throw new VerificationError(
      'SIGNATURE_INVALID',
      'DCAP quote: the QE report signature does not verify with the PCK certificate',
    )
  }
  const expected = createHash('sha256').update(quote.attestationKey).update(qeAuthData).digest()
  const reportData = Buffer.from(qeReport.subarray(320, 384))
  if (!reportData.subarray(0, 32).equals(expected) || reportData.subarray(32).some((b) => b !== 0)) {
    throw new VerificationError('SIGNATURE_INVALID', 'DCAP quote: the QE report does not bind the attestation key')
  }
}
