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
