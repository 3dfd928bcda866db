import type { KeyObject } from 'node:crypto'
import {
  bitString,
  children,
  contextTag,
  DerError,
  integerValue,
  oidText,
  readDer,
  TAG,
  timeValue,
  type Der,
} from './der.ts'
import { nilIfEmpty, type GoJson } from './go-value.ts'
import { parseSubjectPublicKeyInfo } from './public-key.ts'
import { signatureAlgorithm } from './signature-algorithm.ts'
import { emptyExtensionFields, processExtensions, type ExtensionFields } from './x509-extensions.ts'
import { parseName } from './x509-name.ts'
import { uriJson } from './uri-json.ts'

/** A parsed certificate: Go's JSON form plus what chain verification needs. */
export interface Certificate {
  json: { [key: string]: GoJson }
  raw: Buffer
  tbs: Buffer
  rawSubject: Buffer
  rawIssuer: Buffer
  signatureOid: string
  signatureParams: Der | undefined
  signature: Buffer
  publicKey: KeyObject | undefined
  publicKeyAlgorithm: number
  version: number
  notBefore: Date
  notAfter: Date
  ext: ExtensionFields
}

function malformed(what: string): DerError {
  return new DerError(`x509: malformed ${what}`)
}

/**
 * Parses the certificate at the start of `der` (Go's x509.parseCertificate); trailing bytes are
 * left for the caller. Errors carry Go's messages ("x509: malformed certificate").
 */
export function parseCertificate(der: Buffer): Certificate {
  let outer: Der
  try {
    outer = readDer(der, 0).der
  } catch {
    throw malformed('certificate')
  }
  if (outer.tag !== TAG.SEQUENCE) throw malformed('certificate')
  let parts: Der[]
  try {
    parts = children(outer)
  } catch {
    throw malformed('certificate')
  }
  const [tbsDer, sigAlgDer, sigDer] = parts
  if (!tbsDer || tbsDer.tag !== TAG.SEQUENCE) throw malformed('tbs certificate')
  const tbs = children(tbsDer)
  let i = 0
  let version = 0
  if (tbs[i] && contextTag(tbs[i] as Der) === 0) {
    const [v] = children(tbs[i] as Der)
    if (!v || v.tag !== TAG.INTEGER) throw malformed('version')
    version = Number(integerValue(v))
    i++
  }
  if (version < 0) throw malformed('version')
  version++
  if (version > 3) throw new DerError('x509: invalid version')
  const serialDer = tbs[i++]
  if (!serialDer || serialDer.tag !== TAG.INTEGER) throw malformed('serial number')
  const serial = integerValue(serialDer)
  const innerSigAlg = tbs[i++]
  if (!innerSigAlg || innerSigAlg.tag !== TAG.SEQUENCE) throw malformed('signature algorithm identifier')
  const issuer = tbs[i++]
  if (!issuer || issuer.tag !== TAG.SEQUENCE) throw malformed('issuer')
  const validity = tbs[i++]
  if (!validity || validity.tag !== TAG.SEQUENCE) throw malformed('validity')
  const [nb, na] = children(validity)
  if (!nb || !na) throw malformed('validity')
  const notBefore = timeValue(nb)
  const notAfter = timeValue(na)
  const subject = tbs[i++]
  if (!subject || subject.tag !== TAG.SEQUENCE) throw malformed('subject')
  const spki = tbs[i++]
  if (!spki || spki.tag !== TAG.SEQUENCE) throw malformed('spki')
  const pub = parseSubjectPublicKeyInfo(spki)
  const ext = emptyExtensionFields()
  for (; i < tbs.length; i++) {
    const d = tbs[i] as Der
    if (contextTag(d) === 3) {
      if (version !== 3) throw new DerError('x509: extensions present in a non-v3 certificate')
      const [list] = children(d)
      if (list) processExtensions(list, ext)
    }
  }
  if (!sigAlgDer || sigAlgDer.tag !== TAG.SEQUENCE) throw malformed('signature algorithm identifier')
  const sigAlgParts = children(sigAlgDer)
  const signatureOid = sigAlgParts[0] ? oidText(sigAlgParts[0]) : ''
  if (!sigDer || sigDer.tag !== TAG.BIT_STRING) throw malformed('signature')
  const signature = Buffer.from(bitString(sigDer).bytes)
  const algorithm = signatureAlgorithm(signatureOid, sigAlgParts[1])
  const json: { [key: string]: GoJson } = {
    Raw: Buffer.from(outer.raw),
    RawTBSCertificate: Buffer.from(tbsDer.raw),
    RawSubjectPublicKeyInfo: Buffer.from(spki.raw),
    RawSubject: Buffer.from(subject.raw),
    RawIssuer: Buffer.from(issuer.raw),
    Signature: signature,
    SignatureAlgorithm: algorithm,
    PublicKeyAlgorithm: pub.algorithm,
    PublicKey: pub.json,
    Version: version,
    SerialNumber: serial,
    Issuer: parseName(issuer),
    Subject: parseName(subject),
    NotBefore: notBefore,
    NotAfter: notAfter,
    KeyUsage: ext.keyUsage,
    Extensions: nilIfEmpty(ext.extensions),
    ExtraExtensions: null,
    UnhandledCriticalExtensions: nilIfEmpty(ext.unhandledCritical),
    ExtKeyUsage: nilIfEmpty(ext.extKeyUsage),
    UnknownExtKeyUsage: nilIfEmpty(ext.unknownExtKeyUsage),
    BasicConstraintsValid: ext.basicConstraintsValid,
    IsCA: ext.isCA,
    MaxPathLen: ext.maxPathLen,
    MaxPathLenZero: ext.basicConstraintsValid && ext.maxPathLen === 0,
    SubjectKeyId: ext.subjectKeyId,
    AuthorityKeyId: ext.authorityKeyId,
    OCSPServer: nilIfEmpty(ext.ocspServer),
    IssuingCertificateURL: nilIfEmpty(ext.issuingCertificateURL),
    DNSNames: nilIfEmpty(ext.dnsNames),
    EmailAddresses: nilIfEmpty(ext.emailAddresses),
    IPAddresses: nilIfEmpty(ext.ipAddresses),
    URIs: nilIfEmpty(ext.uris.map(uriJson)),
    PermittedDNSDomainsCritical: ext.permittedDNSDomainsCritical,
    PermittedDNSDomains: nilIfEmpty(ext.permittedDNSDomains),
    ExcludedDNSDomains: nilIfEmpty(ext.excludedDNSDomains),
    PermittedIPRanges: nilIfEmpty(ext.permittedIPRanges),
    ExcludedIPRanges: nilIfEmpty(ext.excludedIPRanges),
    PermittedEmailAddresses: nilIfEmpty(ext.permittedEmailAddresses),
    ExcludedEmailAddresses: nilIfEmpty(ext.excludedEmailAddresses),
    PermittedURIDomains: nilIfEmpty(ext.permittedURIDomains),
    ExcludedURIDomains: nilIfEmpty(ext.excludedURIDomains),
    CRLDistributionPoints: nilIfEmpty(ext.crlDistributionPoints),
    PolicyIdentifiers: nilIfEmpty(ext.policyIdentifiers),
    Policies: nilIfEmpty(ext.policyIdentifiers.map((arcs) => arcs.join('.'))),
  }
  return {
    json,
    raw: Buffer.from(outer.raw),
    tbs: Buffer.from(tbsDer.raw),
    rawSubject: Buffer.from(subject.raw),
    rawIssuer: Buffer.from(issuer.raw),
    signatureOid,
    signatureParams: sigAlgParts[1],
    signature,
    publicKey: pub.key,
    publicKeyAlgorithm: pub.algorithm,
    version,
    notBefore: new Date(notBefore),
    notAfter: new Date(notAfter),
    ext,
  }
}

/** Go's x509.ParseCertificates over concatenated DER certificates. */
export function parseCertificates(der: Buffer): Certificate[] {
  const out: Certificate[] = []
  let rest = der
  while (rest.length > 0) {
    const cert = parseCertificate(rest)
    out.push(cert)
    rest = rest.subarray(cert.raw.length)
  }
  return out
}

/** The JSON OPA returns for a certificate: Go's struct plus `URIStrings`. */
export function certificateJson(cert: Certificate): { [key: string]: GoJson } {
  return { ...cert.json, URIStrings: nilIfEmpty([...cert.ext.uris]) }
}
