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

const BEGIN_CERTIFICATE = new TextEncoder().encode('-----BEGIN CERTIFICATE-----\n')
const END_CERTIFICATE = new TextEncoder().encode('\n-----END CERTIFICATE-----')
const NEWLINE = 0x0a
const PAD = 0x3d
/** The last base64 character before `==` / `=` when the bits after the last byte are zero. */
const CANONICAL_BEFORE_PAD: Readonly<Record<number, string>> = { 1: 'AEIMQUYcgkosw048', 2: 'AQgw' }

/** 1 for the bytes of the base64 alphabet (A–Z a–z 0–9 + /), 0 for every other byte. */
const BASE64_BYTE = new Uint8Array(256)
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') BASE64_BYTE[c.charCodeAt(0)] = 1

function bytesAt(bytes: Uint8Array, at: number, pattern: Uint8Array): boolean {
  if (at + pattern.length > bytes.length) return false
  for (let i = 0; i < pattern.length; i++) if (bytes[at + i] !== pattern[i]) return false
  return true
}

/**
 * Checks PEM that travels inside evidence, where no byte of it is signed: it must be exactly
 * CERTIFICATE blocks in RFC 7468's strict form (base64 lines of one width, a multiple of 4, the
 * last one shorter or equal; canonical base64: padding only at the end, zero bits after the last
 * byte), one `\n` between blocks, and after the last END line one of `ends` (the forms real
 * evidence has). Any other byte — comments, other whitespace, another line width inside a block —
 * is `errorCode`, so one certificate list has one accepted text per allowed ending. One pass over
 * the bytes, nothing copied (a DCAP quote is checked on every parse). Returns the block count.
 */
export function checkStrictPem(
  bytes: Uint8Array,
  errorCode: VerificationErrorCode,
  ends: readonly Uint8Array[],
): number {
  let at = 0
  for (let block = 0; ; block++) {
    if (!bytesAt(bytes, at, BEGIN_CERTIFICATE)) derFail(errorCode, `PEM: no BEGIN CERTIFICATE line at ${String(at)}`)
    let line = at + BEGIN_CERTIFICATE.length
    let width = 0
    let total = 0
    for (;;) {
      let end = line
      while (end < bytes.length && BASE64_BYTE[bytes[end] ?? 0] === 1) end++
      let pad = 0
      while (pad < 2 && bytes[end] === PAD) {
        end++
        pad++
      }
      const length = end - line
      if (length === 0 || bytes[end] !== NEWLINE)
        derFail(errorCode, `PEM: certificate ${String(block)} is not in strict line form`)
      if (width === 0) width = length
      total += length
      if (!bytesAt(bytes, end, END_CERTIFICATE)) {
        if (length !== width || pad !== 0)
          derFail(errorCode, `PEM: certificate ${String(block)} has lines of other widths`)
        line = end + 1
        continue
      }
      const before = String.fromCharCode(bytes[end - pad - 1] ?? 0)
      if (
        length > width ||
        width % 4 !== 0 ||
        total % 4 !== 0 ||
        (pad > 0 && !CANONICAL_BEFORE_PAD[pad]?.includes(before))
      )
        derFail(errorCode, `PEM: certificate ${String(block)} is not canonical base64 in strict lines`)
      at = end + END_CERTIFICATE.length
      break
    }
    if (ends.some((e) => bytes.length - at === e.length && bytesAt(bytes, at, e))) return block + 1
    if (bytes[at] !== NEWLINE || !bytesAt(bytes, at + 1, BEGIN_CERTIFICATE))
      derFail(errorCode, `PEM: unexpected text after certificate ${String(block)}`)
    at += 1
  }
}

/** The DER of every certificate of PEM text inside evidence, checked by `checkStrictPem`. */
export function strictPemCertificates(
  text: string,
  errorCode: VerificationErrorCode,
  ends: readonly string[],
): Uint8Array[] {
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(text)) derFail(errorCode, 'PEM: not ASCII')
  const encoder = new TextEncoder()
  checkStrictPem(
    encoder.encode(text),
    errorCode,
    ends.map((e) => encoder.encode(e)),
  )
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=\n]+)\n-----END CERTIFICATE-----/g)].map(
    (match) => new Uint8Array(Buffer.from((match[1] ?? '').replaceAll('\n', ''), 'base64')),
  )
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
