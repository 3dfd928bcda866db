import type { VerificationErrorCode } from '../verifier.ts'
import { bufferView, derFail } from './der.ts'

export interface PemBlock {
  /** The label between `BEGIN ` and the dashes, e.g. `CERTIFICATE`, `X509 CRL`. */
  readonly label: string
  readonly der: Uint8Array
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END ([A-Z0-9 ]+)-----/g
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/**
 * Every PEM block in `text`, in order; text between blocks (comments, `Bag Attributes`) is ignored.
 * Fails on a block whose END label differs or whose body is not base64.
 */
export function pemBlocks(text: string, errorCode: VerificationErrorCode = 'EVIDENCE_MALFORMED'): PemBlock[] {
  const blocks: PemBlock[] = []
  for (const match of text.matchAll(BLOCK)) {
    const [, label = '', body = '', endLabel] = match
    if (label !== endLabel) derFail(errorCode, `PEM block BEGIN ${label} ends with END ${endLabel}`)
    const compact = body.replace(/\s+/g, '')
    if (!BASE64.test(compact) || compact.length % 4 !== 0) derFail(errorCode, `PEM block ${label} is not base64`)
    const der = Buffer.from(compact, 'base64')
    // Refuse non-canonical base64 (non-zero padding bits): two texts must not give the same bytes.
    if (der.toString('base64') !== compact) derFail(errorCode, `PEM block ${label} is not canonical base64`)
    blocks.push({ label, der: new Uint8Array(der) })
  }
  const begins = text.match(/-----BEGIN /g)?.length ?? 0
  if (begins !== blocks.length) derFail(errorCode, 'unterminated or malformed PEM block')
  return blocks
}

/** The DER of every `CERTIFICATE` block of a PEM bundle, in order; fails when there is none. */
export function pemCertificates(text: string, errorCode: VerificationErrorCode = 'CERT_CHAIN_INVALID'): Uint8Array[] {
  const certificates = pemBlocks(text, errorCode)
    .filter((block) => block.label === 'CERTIFICATE')
    .map((block) => block.der)
  if (certificates.length === 0) derFail(errorCode, 'no CERTIFICATE in the PEM text')
  return certificates
}

const BEGIN_CERTIFICATE = '-----BEGIN CERTIFICATE-----\n'
const END_CERTIFICATE = '\n-----END CERTIFICATE-----'
const BASE64_LINE = /^[A-Za-z0-9+/]+={0,2}$/

/**
 * The DER of every certificate of PEM text that travels inside evidence, where no byte of it is
 * signed: the text must be exactly the CERTIFICATE blocks in RFC 7468's strict form (base64 lines
 * of one width, a multiple of 4, the last one shorter or equal; canonical base64), one `\n`
 * between blocks, and after the last END line one of `ends` (the forms real evidence has). Any
 * other byte — comments, other whitespace, another line width inside a block — is `errorCode`, so
 * one certificate list has one accepted text per allowed ending.
 */
export function strictPemCertificates(
  text: string,
  errorCode: VerificationErrorCode,
  ends: readonly string[],
): Uint8Array[] {
  const certificates: Uint8Array[] = []
  let at = 0
  for (;;) {
    if (!text.startsWith(BEGIN_CERTIFICATE, at)) derFail(errorCode, `PEM: no BEGIN CERTIFICATE line at ${String(at)}`)
    const bodyStart = at + BEGIN_CERTIFICATE.length
    const end = text.indexOf(END_CERTIFICATE, bodyStart)
    if (end < 0) derFail(errorCode, 'PEM: a CERTIFICATE block has no END line')
    const lines = text.slice(bodyStart, end).split('\n')
    const width = lines[0]?.length ?? 0
    const last = lines[lines.length - 1] ?? ''
    if (
      width === 0 ||
      width % 4 !== 0 ||
      last.length === 0 ||
      last.length > width ||
      lines.some((line, i) => (i < lines.length - 1 && line.length !== width) || !BASE64_LINE.test(line))
    ) {
      derFail(errorCode, `PEM: certificate ${String(certificates.length)} is not in strict line form`)
    }
    const compact = lines.join('')
    const der = Buffer.from(compact, 'base64')
    if (compact.length % 4 !== 0 || der.toString('base64') !== compact)
      derFail(errorCode, `PEM: certificate ${String(certificates.length)} is not canonical base64`)
    certificates.push(new Uint8Array(der.buffer, der.byteOffset, der.byteLength))
    at = end + END_CERTIFICATE.length
    const rest = text.slice(at)
    if (ends.includes(rest)) return certificates
    if (!rest.startsWith('\n-----BEGIN '))
      derFail(errorCode, `PEM: unexpected text after certificate ${String(certificates.length - 1)}`)
    at += 1
  }
}

/** PEM text of one DER object (64-column base64, trailing newline). */
export function derToPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const body = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`
}

/** Whether the bytes look like PEM text (a BEGIN line near the start) rather than DER (which starts with 0x30 here). */
export function looksLikePem(bytes: Uint8Array): boolean {
  return bytes[0] !== 0x30 && bufferView(bytes.subarray(0, 256)).toString('latin1').includes('-----BEGIN ')
}
