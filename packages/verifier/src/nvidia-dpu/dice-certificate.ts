import { createPublicKey, type KeyObject } from 'node:crypto'
import { parseCertificate, type ParsedCertificate } from '../pkix/certificate.ts'
import {
  DerCursor,
  DerTag,
  derChildren,
  derOctetString,
  derOid,
  derString,
  readDer,
  type DerElement,
} from '../pkix/der.ts'
import { VerificationError } from '../verifier.ts'

/** TCG DICE TcbInfo extension (DICE Attestation Architecture). */
export const TCG_DICE_TCB_INFO_OID = '2.23.133.5.4.1'
const COMMON_NAME_OID = '2.5.4.3'

/** A DICE certificate of the DPU chain with its P-384 key. */
export interface DiceCertificate {
  readonly parsed: ParsedCertificate
  readonly publicKey: KeyObject
}

/*
 * Imported P-384 keys by SubjectPublicKeyInfo: importing costs about as much as a signature check,
 * and a DPU presents the same DeviceID key every time. Bounded: cleared when full.
 */
const importedKeys = new Map<string, KeyObject>()
const MAX_IMPORTED_KEYS = 256

function p384Key(parsed: ParsedCertificate, role: string): KeyObject {
  const spki = Buffer.from(parsed.subjectPublicKeyInfo)
  const id = spki.toString('base64')
  const known = importedKeys.get(id)
  if (known !== undefined) return known
  let key: KeyObject
  try {
    key = createPublicKey({ key: spki, format: 'der', type: 'spki' })
  } catch (cause) {
    throw new VerificationError('CERT_CHAIN_INVALID', `nvidia-dpu: the ${role} key is unusable`, { cause })
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'secp384r1') {
    throw new VerificationError('CERT_CHAIN_INVALID', `nvidia-dpu: the ${role} key is not an ECDSA P-384 key`)
  }
  if (importedKeys.size >= MAX_IMPORTED_KEYS) importedKeys.clear()
  importedKeys.set(id, key)
  return key
}

/* Parsed certificates by DER content (parsing is pure; signatures are still checked on every use). */
const parsedCertificates = new Map<string, DiceCertificate>()

/** Parses one DER certificate of the evidence; a certificate that does not parse is malformed evidence. */
export function parseDiceCertificate(der: Uint8Array, role: 'DeviceID' | 'Alias'): DiceCertificate {
  const id = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1')
  const known = parsedCertificates.get(id)
  if (known !== undefined) return known
  let parsed: ParsedCertificate
  try {
    parsed = parseCertificate(der, 'EVIDENCE_MALFORMED')
  } catch (cause) {
    throw new VerificationError('EVIDENCE_MALFORMED', `nvidia-dpu: the ${role} certificate does not parse`, { cause })
  }
  const certificate = { parsed, publicKey: p384Key(parsed, role) }
  if (parsedCertificates.size >= MAX_IMPORTED_KEYS) parsedCertificates.clear()
  parsedCertificates.set(id, certificate)
  return certificate
}

/** The first commonName of the subject; "unknown" when there is none or it is not text (as upstream). */
export function subjectCommonName(parsed: ParsedCertificate): string {
  try {
    for (const rdn of derChildren(readDer(parsed.subject))) {
      for (const attribute of derChildren(rdn)) {
        const cursor = new DerCursor(attribute, DerTag.sequence, 'AttributeTypeAndValue')
        if (derOid(cursor.next(DerTag.objectIdentifier, 'type')) === COMMON_NAME_OID) {
          return derString(cursor.next(undefined, 'value'))
        }
      }
    }
  } catch {
    return 'unknown'
  }
  return 'unknown'
}

function fwidDigest(element: DerElement): Uint8Array {
  const fwid = new DerCursor(element, DerTag.sequence, 'FWID')
  derOid(fwid.next(DerTag.objectIdentifier, 'FWID.hashAlg'))
  const digest = derOctetString(fwid.next(DerTag.octetString, 'FWID.digest'))
  fwid.end('FWID')
  return digest
}

/**
 * The FWID digests of the TcbInfo `fwids [6]` field, in order. TCG DICE encodes it IMPLICIT (the
 * FWIDs directly inside [6]); upstream reads one more SEQUENCE inside [6]. Both are accepted: they
 * cannot be confused, since a lone FWID holds an OID and an OCTET STRING, not SEQUENCEs.
 */
function fwidsOf(field: DerElement): Uint8Array[] {
  const children = derChildren(field)
  const [only] = children
  if (children.length === 1 && only?.tag === DerTag.sequence) {
    const inner = derChildren(only)
    if (inner.every((c) => c.tag === DerTag.sequence)) return inner.map(fwidDigest)
  }
  return children.map(fwidDigest)
}

/**
 * The firmware-layer FWIDs of a certificate's TcbInfo extension; none when the extension is absent
 * (as upstream). A TcbInfo that is present but malformed is refused rather than read as empty.
 */
export function tcbInfoFwids(parsed: ParsedCertificate): Uint8Array[] {
  const extension = parsed.extensions.get(TCG_DICE_TCB_INFO_OID)
  if (extension === undefined) return []
  try {
    const tcbInfo = readDer(extension.value, 'CERT_CHAIN_INVALID')
    if (tcbInfo.tag !== DerTag.sequence) {
      throw new VerificationError('CERT_CHAIN_INVALID', 'TcbInfo is not one SEQUENCE')
    }
    const fwids = derChildren(tcbInfo).find((field) => field.tag === 0xa6)
    if (fwids !== undefined) return fwidsOf(fwids)
    return []
  } catch (cause) {
    throw new VerificationError('CERT_CHAIN_INVALID', 'nvidia-dpu: the DeviceID TcbInfo extension is malformed', {
      cause,
    })
  }
}
