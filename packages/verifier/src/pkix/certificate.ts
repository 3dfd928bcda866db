import { X509Certificate } from 'node:crypto'
import type { VerificationErrorCode } from '../verifier.ts'
import {
  bytesEqual,
  DerCursor,
  DerTag,
  derBitStringBytes,
  derBoolean,
  derExplicit,
  derFail,
  derOctetString,
  derOid,
  derSmallInteger,
  expectTag,
  readDer,
  type DerElement,
} from './der.ts'
import { derTime } from './der-time.ts'

/** A certificate as node parsed it, or its DER bytes. */
export type CertificateInput = X509Certificate | Uint8Array

export interface CertificateExtension {
  readonly critical: boolean
  /** The extnValue OCTET STRING's content: the DER of the extension's own structure. */
  readonly value: Uint8Array
}

/** The fields of an X.509 certificate node's `X509Certificate` does not expose as bytes. */
export interface ParsedCertificate {
  readonly der: Uint8Array
  /** The TBSCertificate TLV: what the issuer signed. */
  readonly tbs: Uint8Array
  /** 1, 2 or 3. */
  readonly version: number
  /** The serialNumber INTEGER's value octets exactly as encoded (compare these with CRL entries). */
  readonly serial: Uint8Array
  /** The outer signatureAlgorithm AlgorithmIdentifier TLV (equal to the one inside the TBS). */
  readonly signatureAlgorithm: Uint8Array
  /** The issuer Name TLV. */
  readonly issuer: Uint8Array
  /** The subject Name TLV. */
  readonly subject: Uint8Array
  readonly notBefore: Date
  readonly notAfter: Date
  /** The SubjectPublicKeyInfo TLV (`createPublicKey({ key, format: 'der', type: 'spki' })` takes it). */
  readonly subjectPublicKeyInfo: Uint8Array
  /** Extensions by dotted OID; empty for v1/v2 certificates. */
  readonly extensions: ReadonlyMap<string, CertificateExtension>
  readonly signature: Uint8Array
}

const cache = new WeakMap<object, ParsedCertificate>()

/** The certificate's DER bytes. */
export function certificateDer(input: CertificateInput): Uint8Array {
  return input instanceof X509Certificate ? input.raw : input
}

/**
 * Parses a DER certificate strictly. Failures are `VerificationError(errorCode)`, by default
 * `CERT_CHAIN_INVALID`. Results are cached per input object.
 */
export function parseCertificate(
  input: CertificateInput,
  errorCode: VerificationErrorCode = 'CERT_CHAIN_INVALID',
): ParsedCertificate {
  const cached = cache.get(input)
  if (cached !== undefined) return cached
  const der = certificateDer(input)
  const outer = new DerCursor(readDer(der, errorCode), DerTag.sequence, 'Certificate')
  const tbsElement = outer.next(DerTag.sequence, 'tbsCertificate')
  const signatureAlgorithm = outer.next(DerTag.sequence, 'signatureAlgorithm')
  const signature = derBitStringBytes(outer.next(DerTag.bitString, 'signatureValue'))
  outer.end('Certificate')

  const tbs = new DerCursor(tbsElement)
  const versionElement = tbs.optional(0xa0)
  const version = versionElement === undefined ? 1 : derSmallInteger(derExplicit(versionElement, 0)) + 1
  if (version < 1 || version > 3) derFail(errorCode, `unknown certificate version ${version}`)
  const serialElement = tbs.next(DerTag.integer, 'serialNumber')
  if (serialElement.content.length === 0) derFail(errorCode, 'empty serialNumber')
  const innerAlgorithm = tbs.next(DerTag.sequence, 'signature')
  if (!bytesEqual(innerAlgorithm.bytes, signatureAlgorithm.bytes)) {
    derFail(errorCode, 'the signature algorithm inside the certificate differs from the outer one')
  }
  const issuer = tbs.next(DerTag.sequence, 'issuer')
  const validity = new DerCursor(tbs.next(DerTag.sequence, 'validity'))
  const notBefore = derTime(validity.next(undefined, 'notBefore'))
  const notAfter = derTime(validity.next(undefined, 'notAfter'))
  validity.end('validity')
  const subject = tbs.next(DerTag.sequence, 'subject')
  const spki = tbs.next(DerTag.sequence, 'subjectPublicKeyInfo')
  tbs.optional(0x81)
  tbs.optional(0x82)
  const extensionsElement = tbs.optional(0xa3)
  tbs.end('tbsCertificate')
  if (extensionsElement !== undefined && version !== 3) derFail(errorCode, 'extensions in a non-v3 certificate')

  const parsed: ParsedCertificate = {
    der,
    tbs: tbsElement.bytes,
    version,
    serial: serialElement.content,
    signatureAlgorithm: signatureAlgorithm.bytes,
    issuer: issuer.bytes,
    subject: subject.bytes,
    notBefore,
    notAfter,
    subjectPublicKeyInfo: spki.bytes,
    extensions: extensionsElement === undefined ? new Map() : parseExtensions(derExplicit(extensionsElement, 3)),
    signature,
  }
  cache.set(input, parsed)
  return parsed
}

/** `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension` (certificates, CRLs and CRL entries). */
export function parseExtensions(element: DerElement): Map<string, CertificateExtension> {
  const list = new DerCursor(element, DerTag.sequence, 'Extensions')
  const extensions = new Map<string, CertificateExtension>()
  while (!list.done) {
    const extension = new DerCursor(list.next(DerTag.sequence, 'Extension'))
    const oid = derOid(extension.next(DerTag.objectIdentifier, 'extnID'))
    const criticalElement = extension.optional(DerTag.boolean)
    const value = derOctetString(extension.next(DerTag.octetString, 'extnValue'))
    extension.end('Extension')
    if (extensions.has(oid)) derFail(element.errorCode, `extension ${oid} appears twice`)
    extensions.set(oid, { critical: criticalElement === undefined ? false : derBoolean(criticalElement), value })
  }
  return extensions
}

/** Every extension of the certificate by dotted OID (node's X509Certificate has no generic access). */
export function certificateExtensions(
  cert: CertificateInput,
  errorCode?: VerificationErrorCode,
): ReadonlyMap<string, CertificateExtension> {
  return parseCertificate(cert, errorCode).extensions
}

/** The serialNumber's value octets as encoded (two's complement, as CRL entries carry them). */
export function certificateSerial(cert: CertificateInput, errorCode?: VerificationErrorCode): Uint8Array {
  return parseCertificate(cert, errorCode).serial
}

/** The issuer Name TLV. */
export function certificateIssuer(cert: CertificateInput, errorCode?: VerificationErrorCode): Uint8Array {
  return parseCertificate(cert, errorCode).issuer
}

/** The subject Name TLV. */
export function certificateSubject(cert: CertificateInput, errorCode?: VerificationErrorCode): Uint8Array {
  return parseCertificate(cert, errorCode).subject
}

/** Whether the certificate is valid at `at` (notBefore <= at <= notAfter). */
export function certificateValidAt(cert: CertificateInput, at: Date): boolean {
  const { notBefore, notAfter } = parseCertificate(cert)
  return notBefore.getTime() <= at.getTime() && at.getTime() <= notAfter.getTime()
}

/** Checks the element is a Name (SEQUENCE) — used by CRL parsing. */
export function expectName(element: DerElement, what: string): Uint8Array {
  return expectTag(element, DerTag.sequence, what).bytes
}
