import type { VerificationErrorCode } from '../verifier.ts'
import { certificateExtensions, type CertificateInput } from './certificate.ts'
import {
  DerCursor,
  DerTag,
  bitIsSet,
  derBitString,
  derBoolean,
  derFail,
  derOctetString,
  derSmallInteger,
  readDer,
} from './der.ts'

export const ExtensionOid = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  crlNumber: '2.5.29.20',
  crlReason: '2.5.29.21',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  authorityKeyIdentifier: '2.5.29.35',
  policyConstraints: '2.5.29.36',
  extKeyUsage: '2.5.29.37',
  issuingDistributionPoint: '2.5.29.28',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
} as const

export interface BasicConstraints {
  readonly ca: boolean
  readonly pathLength?: number
}

/** basicConstraints, or undefined when the certificate has none. */
export function basicConstraints(
  cert: CertificateInput,
  errorCode: VerificationErrorCode = 'CERT_CHAIN_INVALID',
): BasicConstraints | undefined {
  const extension = certificateExtensions(cert, errorCode).get(ExtensionOid.basicConstraints)
  if (extension === undefined) return undefined
  const cursor = new DerCursor(readDer(extension.value, errorCode), DerTag.sequence, 'BasicConstraints')
  const caElement = cursor.optional(DerTag.boolean)
  const pathElement = cursor.optional(DerTag.integer)
  cursor.end('BasicConstraints')
  const ca = caElement === undefined ? false : derBoolean(caElement)
  if (pathElement === undefined) return { ca }
  const pathLength = derSmallInteger(pathElement)
  if (pathLength < 0) derFail(errorCode, 'negative pathLenConstraint')
  return { ca, pathLength }
}

/** keyUsage named bits. */
export const KeyUsageBit = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
} as const

/** Whether keyUsage allows `bit`; true when the certificate has no keyUsage extension. */
export function keyUsageAllows(
  cert: CertificateInput,
  bit: number,
  errorCode: VerificationErrorCode = 'CERT_CHAIN_INVALID',
): boolean {
  const extension = certificateExtensions(cert, errorCode).get(ExtensionOid.keyUsage)
  if (extension === undefined) return true
  return bitIsSet(derBitString(readDer(extension.value, errorCode)), bit)
}

/** The subjectKeyIdentifier octets, if present. */
export function subjectKeyIdentifier(
  cert: CertificateInput,
  errorCode: VerificationErrorCode = 'CERT_CHAIN_INVALID',
): Uint8Array | undefined {
  const extension = certificateExtensions(cert, errorCode).get(ExtensionOid.subjectKeyIdentifier)
  return extension === undefined ? undefined : derOctetString(readDer(extension.value, errorCode))
}

/** The keyIdentifier `[0]` of an authorityKeyIdentifier extension value, if present. */
export function authorityKeyIdentifierOf(
  value: Uint8Array,
  errorCode: VerificationErrorCode = 'CERT_CHAIN_INVALID',
): Uint8Array | undefined {
  const cursor = new DerCursor(readDer(value, errorCode), DerTag.sequence, 'AuthorityKeyIdentifier')
  const keyId = cursor.optional(0x80)
  return keyId === undefined ? undefined : derOctetString(keyId, 0x80)
}

/** The certificate's authorityKeyIdentifier keyIdentifier, if present. */
export function authorityKeyIdentifier(
  cert: CertificateInput,
  errorCode: VerificationErrorCode = 'CERT_CHAIN_INVALID',
): Uint8Array | undefined {
  const extension = certificateExtensions(cert, errorCode).get(ExtensionOid.authorityKeyIdentifier)
  return extension === undefined ? undefined : authorityKeyIdentifierOf(extension.value, errorCode)
}
