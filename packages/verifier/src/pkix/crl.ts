import { X509Certificate, type KeyObject } from 'node:crypto'
import { VerificationError, type VerificationErrorCode } from '../verifier.ts'
import { parseCertificate, parseExtensions, type CertificateExtension, type CertificateInput } from './certificate.ts'
import {
  bufferView,
  bytesEqual,
  DerCursor,
  DerTag,
  derBitStringBytes,
  derExplicit,
  derFail,
  derInteger,
  derSmallInteger,
  readDer,
} from './der.ts'
import { derTime } from './der-time.ts'
import { looksLikePem, pemBlocks } from './pem.ts'
import { verifySignature } from './signature-algorithm.ts'
import { authorityKeyIdentifierOf, ExtensionOid, subjectKeyIdentifier } from './standard-extensions.ts'

export interface RevokedCertificate {
  /** The userCertificate INTEGER's value octets as encoded (compare with `certificateSerial`). */
  readonly serial: Uint8Array
  readonly revocationDate: Date
  readonly extensions: ReadonlyMap<string, CertificateExtension>
}

export interface CertificateRevocationList {
  readonly der: Uint8Array
  /** The TBSCertList TLV: what the issuer signed. */
  readonly tbs: Uint8Array
  /** 1 or 2. */
  readonly version: number
  readonly signatureAlgorithm: Uint8Array
  /** The issuer Name TLV. */
  readonly issuer: Uint8Array
  readonly thisUpdate: Date
  readonly nextUpdate?: Date
  readonly revoked: readonly RevokedCertificate[]
  readonly extensions: ReadonlyMap<string, CertificateExtension>
  /** The cRLNumber extension, if present. */
  readonly crlNumber?: bigint
  /** The authorityKeyIdentifier keyIdentifier, if present. */
  readonly authorityKeyId?: Uint8Array
  readonly signature: Uint8Array
}

/**
 * Critical CRL and entry extensions a CRL may carry and still be used (RFC 5280 §5.2, §5.3). A delta-CRL
 * indicator or an indirect CRL's certificateIssuer is not among them. The issuing distribution point is
 * accepted without narrowing the CRL's scope (vendor CRLs cover all of their issuer's certificates).
 */
const UNDERSTOOD_CRITICAL: ReadonlySet<string> = new Set([
  ExtensionOid.crlNumber,
  ExtensionOid.authorityKeyIdentifier,
  ExtensionOid.issuingDistributionPoint,
  ExtensionOid.crlReason,
  '2.5.29.24', // invalidityDate
])

/** A CRL as DER bytes, PEM text (`X509 CRL`), or PEM bytes. */
export type CrlInput = Uint8Array | string

/**
 * Parses a CRL (RFC 5280 §5) from DER or PEM. Failures are `VerificationError(errorCode)`, by default
 * `COLLATERAL_INVALID`. The signature is not checked here: see `verifyCrlSignature`.
 */
export function parseCrl(
  input: CrlInput,
  errorCode: VerificationErrorCode = 'COLLATERAL_INVALID',
): CertificateRevocationList {
  const der = crlDer(input, errorCode)
  const outer = new DerCursor(readDer(der, errorCode), DerTag.sequence, 'CertificateList')
  const tbsElement = outer.next(DerTag.sequence, 'tbsCertList')
  const signatureAlgorithm = outer.next(DerTag.sequence, 'signatureAlgorithm')
  const signature = derBitStringBytes(outer.next(DerTag.bitString, 'signatureValue'))
  outer.end('CertificateList')

  const tbs = new DerCursor(tbsElement)
  const versionElement = tbs.optional(DerTag.integer)
  const version = versionElement === undefined ? 1 : derSmallInteger(versionElement) + 1
  if (version !== 1 && version !== 2) derFail(errorCode, `unknown CRL version ${version}`)
  const innerAlgorithm = tbs.next(DerTag.sequence, 'signature')
  if (!bytesEqual(innerAlgorithm.bytes, signatureAlgorithm.bytes)) {
    derFail(errorCode, 'the signature algorithm inside the CRL differs from the outer one')
  }
  const issuer = tbs.next(DerTag.sequence, 'issuer')
  const thisUpdate = derTime(tbs.next(undefined, 'thisUpdate'))
  const nextElement = tbs.optional(DerTag.utcTime) ?? tbs.optional(DerTag.generalizedTime)
  const nextUpdate = nextElement === undefined ? undefined : derTime(nextElement)
  const revokedElement = tbs.optional(DerTag.sequence)
  const extensionsElement = tbs.optional(0xa0)
  tbs.end('tbsCertList')
  if (extensionsElement !== undefined && version !== 2) derFail(errorCode, 'extensions in a v1 CRL')

  const revoked: RevokedCertificate[] = []
  if (revokedElement !== undefined) {
    const list = new DerCursor(revokedElement)
    while (!list.done) {
      const entry = new DerCursor(list.next(DerTag.sequence, 'revokedCertificate'))
      const serialElement = entry.next(DerTag.integer, 'userCertificate')
      if (serialElement.content.length === 0) derFail(errorCode, 'empty userCertificate serial')
      const revocationDate = derTime(entry.next(undefined, 'revocationDate'))
      const entryExtensions = entry.optional(DerTag.sequence)
      entry.end('revokedCertificate')
      revoked.push({
        serial: serialElement.content,
        revocationDate,
        extensions: entryExtensions === undefined ? new Map() : parseExtensions(entryExtensions),
      })
    }
  }
  const extensions: ReadonlyMap<string, CertificateExtension> =
    extensionsElement === undefined
      ? new Map<string, CertificateExtension>()
      : parseExtensions(derExplicit(extensionsElement, 0))
  for (const [oid, extension] of [...extensions, ...revoked.flatMap((entry) => [...entry.extensions])]) {
    if (extension.critical && !UNDERSTOOD_CRITICAL.has(oid))
      derFail(errorCode, `CRL has unknown critical extension ${oid}`)
  }
  const crlNumberExtension = extensions.get(ExtensionOid.crlNumber)
  const akiExtension = extensions.get(ExtensionOid.authorityKeyIdentifier)
  const crlNumber =
    crlNumberExtension === undefined ? undefined : derInteger(readDer(crlNumberExtension.value, errorCode))
  const authorityKeyId =
    akiExtension === undefined ? undefined : authorityKeyIdentifierOf(akiExtension.value, errorCode)
  return {
    der,
    tbs: tbsElement.bytes,
    version,
    signatureAlgorithm: signatureAlgorithm.bytes,
    issuer: issuer.bytes,
    thisUpdate,
    ...(nextUpdate === undefined ? {} : { nextUpdate }),
    revoked,
    extensions,
    ...(crlNumber === undefined ? {} : { crlNumber }),
    ...(authorityKeyId === undefined ? {} : { authorityKeyId }),
    signature,
  }
}

function crlDer(input: CrlInput, errorCode: VerificationErrorCode): Uint8Array {
  const text =
    typeof input === 'string' ? input : looksLikePem(input) ? bufferView(input).toString('latin1') : undefined
  if (text === undefined) return input as Uint8Array
  const blocks = pemBlocks(text, errorCode).filter((block) => block.label === 'X509 CRL')
  if (blocks.length !== 1) derFail(errorCode, `expected one X509 CRL PEM block, found ${blocks.length}`)
  return (blocks[0] as { der: Uint8Array }).der
}

/**
 * Whether `issuer` issued the CRL: names equal byte for byte, key identifiers equal when both are
 * present, and the signature verifies with the issuer's public key.
 */
export function crlSignedBy(crl: CertificateRevocationList, issuer: CertificateInput): boolean {
  const parsedIssuer = parseCertificate(issuer)
  if (!bytesEqual(crl.issuer, parsedIssuer.subject)) return false
  const keyId = subjectKeyIdentifier(issuer)
  if (crl.authorityKeyId !== undefined && keyId !== undefined && !bytesEqual(crl.authorityKeyId, keyId)) {
    return false
  }
  let publicKey: KeyObject
  try {
    publicKey = (issuer instanceof X509Certificate ? issuer : new X509Certificate(issuer)).publicKey
  } catch (error) {
    throw new VerificationError('COLLATERAL_INVALID', 'the CRL issuer certificate is unusable', { cause: error })
  }
  return verifySignature(crl.tbs, crl.signatureAlgorithm, crl.signature, publicKey, 'COLLATERAL_INVALID')
}

/** Throws `COLLATERAL_INVALID` unless `issuer` issued and signed the CRL. */
export function verifyCrlSignature(crl: CertificateRevocationList, issuer: CertificateInput): void {
  if (!crlSignedBy(crl, issuer)) {
    throw new VerificationError('COLLATERAL_INVALID', 'the CRL is not signed by the expected issuer certificate')
  }
}

/**
 * Throws `CERT_EXPIRED` unless thisUpdate <= at <= nextUpdate (a CRL without nextUpdate is refused:
 * nothing says how long it stays current).
 */
export function checkCrlCurrent(crl: CertificateRevocationList, at: Date): void {
  if (crl.nextUpdate === undefined) {
    throw new VerificationError('CERT_EXPIRED', 'the CRL has no nextUpdate, so it is never current')
  }
  if (at.getTime() < crl.thisUpdate.getTime() || at.getTime() > crl.nextUpdate.getTime()) {
    throw new VerificationError(
      'CERT_EXPIRED',
      `the CRL is current ${crl.thisUpdate.toISOString()}..${crl.nextUpdate.toISOString()}, not at ${at.toISOString()}`,
    )
  }
}

/** The CRL entry for the certificate's serial, if it is listed (the caller checks the CRL's issuer). */
export function revocationOf(crl: CertificateRevocationList, cert: CertificateInput): RevokedCertificate | undefined {
  const serial = parseCertificate(cert).serial
  return crl.revoked.find((entry) => bytesEqual(entry.serial, serial))
}
