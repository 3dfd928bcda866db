import { verify, type KeyObject, type X509Certificate } from 'node:crypto'
import { VerificationError } from '../verifier.ts'
import { SNP_SIGNATURE_COMPONENT, SNP_SIGNED_LENGTH, SnpOffset, type SnpReport } from './snp-report.ts'

const ECDSA_P384_SHA384 = 1
const SCALAR = 48

/** A little-endian, zero-extended 72-byte scalar as 48 big-endian bytes; undefined if it does not fit. */
function scalar(report: Uint8Array, offset: number): Buffer | undefined {
  const le = report.subarray(offset, offset + SNP_SIGNATURE_COMPONENT)
  if (le.subarray(SCALAR).some((b) => b !== 0)) return undefined
  return Buffer.from(le.subarray(0, SCALAR)).reverse()
}

// A KeyObject per certificate: importing the key is a large part of one verification.
const keys = new WeakMap<X509Certificate, KeyObject>()

function publicKeyOf(certificate: X509Certificate): KeyObject {
  let key = keys.get(certificate)
  if (key === undefined) {
    key = certificate.publicKey
    keys.set(certificate, key)
  }
  return key
}

/** The report signature: ECDSA P-384 with SHA-384 over bytes 0..0x29F, by the VEK's key. */
export function verifySnpSignature(report: SnpReport, vek: X509Certificate): void {
  if (report.signatureAlgo !== ECDSA_P384_SHA384) {
    throw new VerificationError(
      'SIGNATURE_INVALID',
      `SNP signature algorithm ${String(report.signatureAlgo)} is not ECDSA P-384 SHA-384`,
    )
  }
  const key = publicKeyOf(vek)
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'secp384r1') {
    throw new VerificationError('CERT_CHAIN_INVALID', 'the VCEK/VLEK key is not an ECDSA P-384 key')
  }
  const r = scalar(report.bytes, SnpOffset.signatureR)
  const s = scalar(report.bytes, SnpOffset.signatureS)
  const signed = report.bytes.subarray(0, SNP_SIGNED_LENGTH)
  if (
    r === undefined ||
    s === undefined ||
    !verify('sha384', signed, { key, dsaEncoding: 'ieee-p1363' }, Buffer.concat([r, s]))
  ) {
    throw new VerificationError('SIGNATURE_INVALID', 'the SNP report signature does not verify with the VCEK/VLEK')
  }
}
