import {
  bitString,
  children,
  contextTag,
  DerError,
  integerValue,
  oidArcs,
  oidText,
  readDer,
  stringValue,
  TAG,
  type Der,
} from './der.ts'
import { nilIfEmpty, type GoJson } from './go-value.ts'
import { parseSubjectPublicKeyInfo } from './public-key.ts'
import { signatureAlgorithm } from './signature-algorithm.ts'
import { uriJson } from './uri-json.ts'
import { emptyExtensionFields, processExtensions } from './x509-extensions.ts'
import { parseName } from './x509-name.ts'

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14'

/** Go's description of a tag mismatch at the top of a structure, as encoding/asn1 words it. */
function tagMismatch(buf: Buffer): DerError {
  const b = buf[0] ?? 0
  const len = buf[1] ?? 0
  return new DerError(
    `asn1: structure error: tags don't match (16 vs {class:${b >> 6} tag:${b & 0x1f} length:${len} isCompound:${(b & 0x20) !== 0}}) {optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false} certificateRequest @2`,
  )
}

function structureError(what: string): DerError {
  return new DerError(`asn1: structure error: ${what}`)
}

/** Go's x509.ParseCertificateRequest, marshalled to JSON. */
export function parseCertificateRequest(der: Buffer): GoJson {
  if ((der[0] ?? 0) !== TAG.SEQUENCE) throw tagMismatch(der)
  let outer: Der
  let next: number
  try {
    ;({ der: outer, next } = readDer(der, 0))
  } catch {
    throw structureError('data truncated')
  }
  if (next !== der.length) throw new DerError('asn1: syntax error: trailing data')
  try {
    return requestJson(outer)
  } catch (e) {
    if (e instanceof DerError && e.message.startsWith('asn1:')) throw e
    if (e instanceof DerError && e.message.startsWith('x509:')) throw e
    throw structureError(e instanceof Error ? e.message : 'malformed certificate request')
  }
}

function requestJson(outer: Der): GoJson {
  const [info, sigAlg, sig] = children(outer)
  if (!info || info.tag !== TAG.SEQUENCE || !sigAlg || !sig || sig.tag !== TAG.BIT_STRING) {
    throw structureError('malformed certificate request')
  }
  const [versionDer, subject, spki, attrs] = children(info)
  if (!versionDer || versionDer.tag !== TAG.INTEGER || !subject || !spki)
    throw structureError('malformed certificate request info')
  const pub = parseSubjectPublicKeyInfo(spki)
  const sigAlgParts = children(sigAlg)
  const attributes: GoJson[] = []
  const ext = emptyExtensionFields()
  if (attrs && contextTag(attrs) === 0) {
    for (const attr of children(attrs)) {
      const [type, values] = children(attr)
      if (!type || type.tag !== TAG.OID || !values) continue
      const value = attributeValues(values)
      if (value) attributes.push({ Type: oidArcs(type), Value: value })
      if (oidText(type) === EXTENSION_REQUEST) {
        const [list] = children(values)
        if (list) processExtensions(list, ext, true)
      }
    }
  }
  return {
    Raw: Buffer.from(outer.raw),
    RawTBSCertificateRequest: Buffer.from(info.raw),
    RawSubjectPublicKeyInfo: Buffer.from(spki.raw),
    RawSubject: Buffer.from(subject.raw),
    Version: Number(integerValue(versionDer)),
    Signature: Buffer.from(bitString(sig).bytes),
    SignatureAlgorithm: signatureAlgorithm(sigAlgParts[0] ? oidText(sigAlgParts[0]) : '', sigAlgParts[1]),
    PublicKeyAlgorithm: pub.algorithm,
    PublicKey: pub.json,
    Subject: parseName(subject),
    Attributes: nilIfEmpty(attributes),
    Extensions: nilIfEmpty(ext.extensions),
    ExtraExtensions: null,
    DNSNames: nilIfEmpty(ext.dnsNames),
    EmailAddresses: nilIfEmpty(ext.emailAddresses),
    IPAddresses: nilIfEmpty(ext.ipAddresses),
    URIs: nilIfEmpty(ext.uris.map(uriJson)),
  }
}

/**
 * A request attribute read as Go's pkix.AttributeTypeAndValueSET (a SET of SEQUENCEs of
 * type/value pairs); attributes of any other shape are skipped, as Go skips them.
 */
function attributeValues(values: Der): GoJson[] | undefined {
  try {
    return children(values).map((seq) =>
      children(seq).map((atv) => {
        const [t, v] = children(atv)
        if (!t || t.tag !== TAG.OID || !v) throw new DerError('not an attribute')
        return { Type: oidArcs(t), Value: scalar(v) }
      }),
    )
  } catch {
    return undefined
  }
}

function scalar(v: Der): GoJson {
  switch (v.tag) {
    case TAG.BOOLEAN:
      return v.value[0] !== 0
    case TAG.INTEGER:
      return integerValue(v)
    case TAG.OCTET_STRING:
      return Buffer.from(v.value)
    default:
      return stringValue(v)
  }
}
