import { ContentCache } from '../content-cache.ts'
import { checkStrictPem } from '../pkix/pem.ts'
import { VerificationError } from '../verifier.ts'

/*
 * Intel DCAP quote layout (ECDSA attestation, all integers little-endian):
 *   header (48 B) | body | u32 signature data length | signature data
 * v3 (SGX) and v4 carry the report body right after the header (384 B enclave report for SGX,
 * 584 B TD report for TDX); v5 puts u16 body type (1 SGX, 2 TDX 1.0, 3 TDX 1.5) and u32 body size
 * in front of it. The signature data holds the quote signature and attestation key, then the QE
 * report with its signature, QE auth data and the PCK chain: inline in v3 (certification data
 * type 5), nested in a type-6 "QE report certification data" block in v4/v5.
 */

export const TEE_TYPE_SGX = 0x00000000
export const TEE_TYPE_TDX = 0x00000081
export const ATT_KEY_ECDSA_P256 = 2
export const INTEL_QE_VENDOR_ID = '939a7233f79c4ca9940a0db3957f0607'

export const HEADER_SIZE = 48
export const SGX_REPORT_SIZE = 384
export const TD10_REPORT_SIZE = 584
export const TD15_REPORT_SIZE = 648

export type QuoteBodyKind = 'sgx' | 'td10' | 'td15'

export interface QuoteHeader {
  readonly version: number
  readonly attKeyType: number
  readonly teeType: number
  /** The raw 48 header bytes, for the claims (fields are claimed as hex of their bytes). */
  readonly raw: Uint8Array
}

/** QE report, its signature by the PCK leaf, QE auth data and the PCK chain. */
export interface QeCertificationData {
  readonly qeReport: Uint8Array
  readonly qeReportSignature: Uint8Array
  readonly qeAuthData: Uint8Array
  /** Certification data type (5 = PCK chain in PEM) and its bytes. */
  readonly certType: number
  readonly certData: Uint8Array
}

export interface DcapQuote {
  readonly header: QuoteHeader
  readonly bodyKind: QuoteBodyKind
  /** v5 only: the u16 body type and u32 body size bytes as they appear in the quote. */
  readonly v5BodyDescriptor?: { readonly type: number; readonly size: Uint8Array }
  readonly body: Uint8Array
  /** Everything the quote signature covers: header, (v5 descriptor) and body. */
  readonly signedBytes: Uint8Array
  /** Raw ECDSA-P256 r‖s (64 B). */
  readonly signature: Uint8Array
  /** Raw P-256 public point X‖Y (64 B). */
  readonly attestationKey: Uint8Array
  readonly qe: QeCertificationData
}

function malformed(message: string): VerificationError {
  return new VerificationError('EVIDENCE_MALFORMED', `DCAP quote: ${message}`)
}

/** A bounds-checked little-endian reader over the quote. */
class Cursor {
  readonly bytes: Uint8Array
  offset: number
  readonly end: number

  constructor(bytes: Uint8Array, offset = 0, end = bytes.length) {
    this.bytes = bytes
    this.offset = offset
    this.end = end
  }

  take(n: number, what: string): Uint8Array {
    if (n < 0 || this.offset + n > this.end) throw malformed(`truncated ${what}`)
    const out = this.bytes.subarray(this.offset, this.offset + n)
    this.offset += n
    return out
  }

  /** Fails unless everything up to `end` was read: no bytes inside a declared length go unchecked. */
  done(what: string): void {
    if (this.offset !== this.end)
      throw malformed(`${String(this.end - this.offset)} unexpected bytes at the end of the ${what}`)
  }

  u16(what: string): number {
    const b = this.take(2, what)
    return new DataView(b.buffer, b.byteOffset, 2).getUint16(0, true)
  }

  u32(what: string): number {
    const b = this.take(4, what)
    return new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true)
  }
}

function parseHeader(bytes: Uint8Array): QuoteHeader {
  const c = new Cursor(bytes)
  const raw = c.take(HEADER_SIZE, 'header')
  const view = new Cursor(raw)
  const version = view.u16('version')
  const attKeyType = view.u16('attestation key type')
  const teeType = view.u32('TEE type')
  return { version, attKeyType, teeType, raw }
}

function bodyKindOf(header: QuoteHeader): QuoteBodyKind {
  if (header.teeType === TEE_TYPE_SGX) return 'sgx'
  if (header.teeType === TEE_TYPE_TDX) return 'td10'
  throw malformed(`unknown TEE type 0x${header.teeType.toString(16)}`)
}

const BODY_SIZES: Record<QuoteBodyKind, number> = {
  sgx: SGX_REPORT_SIZE,
  td10: TD10_REPORT_SIZE,
  td15: TD15_REPORT_SIZE,
}

const V5_BODY_TYPES: Record<number, QuoteBodyKind> = { 1: 'sgx', 2: 'td10', 3: 'td15' }

/*
 * Bytes after the signature data are not part of the quote, so nothing signs them. Real quotes
 * still arrive in two padded shapes (vectors-extra MANIFEST): an 8000-byte buffer (GCP via
 * go-tdx-guest, dcap-rs, Oak: 3065 zero bytes after a 4935-byte quote) and a v4 TD quote in a
 * buffer sized for its TDX 1.5 v5 form, 70 zero bytes longer (6-byte body descriptor + 64 more body
 * bytes: Azure's td_quote, dstack/tappd, dcap-qvl's and oasis' samples). Exactly those are
 * accepted, all zero; any other trailing byte is EVIDENCE_MALFORMED, so one quote has one
 * accepted encoding per buffer shape (Intel's old QVL and oasis' strict parse refuse all of them).
 */
export const QUOTE_BUFFER_SIZE = 8000

/*
 * Certification data type 5, the PCK chain, is PEM that nothing signs: it must be in strict form
 * (pkix/pem.ts), each END line followed by one newline and the text by at most one NUL — the two
 * forms every real quote in the vectors has.
 */
const PCK_CERT_CHAIN = 5
const PCK_CHAIN_ENDS = [new Uint8Array([0x0a]), new Uint8Array([0x0a, 0x00])]
/**
 * Chain texts that passed, per exact bytes: a platform sends the same chain with every quote, and a
 * KBS serves several platforms (a compare is cheaper than the check). Refused texts are not kept.
 */
const strictChains = new ContentCache<true>(64)

function checkPckChainText(certData: Uint8Array): void {
  strictChains.get(certData, 'pck-chain-pem', () => {
    checkStrictPem(certData, 'CERT_CHAIN_INVALID', PCK_CHAIN_ENDS)
    return true
  })
}
export const V5_SIZED_PADDING = 6 + (TD15_REPORT_SIZE - TD10_REPORT_SIZE)
const ZEROS = new Uint8Array(QUOTE_BUFFER_SIZE)

function checkPadding(bytes: Uint8Array, end: number, header: QuoteHeader, kind: QuoteBodyKind): void {
  const padding = bytes.length - end
  if (padding === 0) return
  const v5Sized = header.version === 4 && kind === 'td10' && padding === V5_SIZED_PADDING
  if (bytes.length !== QUOTE_BUFFER_SIZE && !v5Sized) {
    throw malformed(
      `${String(padding)} bytes after the signature data (only zero padding to ${String(QUOTE_BUFFER_SIZE)} bytes, or of a v4 TD quote to its v5 size, is accepted)`,
    )
  }
  if (!Buffer.from(bytes.buffer, bytes.byteOffset + end, padding).equals(ZEROS.subarray(0, padding)))
    throw malformed('the padding after the signature data is not zero')
}

/**
 * Parses a DCAP ECDSA quote v3, v4 or v5; after the signature data only the zero padding described
 * above may follow. Versions other than 3–5 are `UNSUPPORTED_VERSION`.
 */
export function parseDcapQuote(bytes: Uint8Array): DcapQuote {
  const header = parseHeader(bytes)
  if (header.version < 3 || header.version > 5) {
    throw new VerificationError('UNSUPPORTED_VERSION', `DCAP quote version ${String(header.version)} is not supported`)
  }
  if (header.attKeyType !== ATT_KEY_ECDSA_P256) {
    throw new VerificationError(
      'UNSUPPORTED_VERSION',
      `DCAP quote attestation key type ${String(header.attKeyType)} is not ECDSA-P256`,
    )
  }
  const c = new Cursor(bytes, HEADER_SIZE)
  let bodyKind = bodyKindOf(header)
  let v5BodyDescriptor: DcapQuote['v5BodyDescriptor']
  if (header.version === 3 && bodyKind !== 'sgx') throw malformed('a v3 quote must be an SGX quote')
  if (header.version === 5) {
    const type = c.u16('body type')
    const sizeBytes = c.take(4, 'body size')
    const kind = V5_BODY_TYPES[type]
    if (kind === undefined) throw malformed(`unknown v5 body type ${String(type)}`)
    if ((kind === 'sgx') !== (bodyKind === 'sgx')) throw malformed('v5 body type does not match the TEE type')
    bodyKind = kind
    const size = new Cursor(sizeBytes).u32('body size')
    if (size !== BODY_SIZES[kind])
      throw malformed(`v5 body size ${String(size)} does not fit body type ${String(type)}`)
    v5BodyDescriptor = { type, size: sizeBytes }
  }
  const body = c.take(BODY_SIZES[bodyKind], 'report body')
  const signedBytes = bytes.subarray(0, c.offset)
  const sigLength = c.u32('signature data length')
  const sig = new Cursor(bytes, c.offset, c.offset + sigLength)
  if (sig.end > bytes.length) throw malformed('truncated signature data')
  const signature = sig.take(64, 'quote signature')
  const attestationKey = sig.take(64, 'attestation key')
  let qe: QeCertificationData
  if (header.version === 3) {
    qe = parseQeBlock(sig)
    sig.done('signature data')
  } else {
    const type = sig.u16('certification data type')
    const size = sig.u32('certification data size')
    if (type !== 6) throw malformed(`certification data type ${String(type)} (expected 6, QE report data)`)
    const inner = new Cursor(bytes, sig.offset, sig.offset + size)
    if (inner.end > sig.end) throw malformed('truncated QE report certification data')
    qe = parseQeBlock(inner)
    inner.done('QE report certification data')
    sig.offset = inner.offset
    sig.done('signature data')
  }
  checkPadding(bytes, sig.end, header, bodyKind)
  if (qe.certType === PCK_CERT_CHAIN) checkPckChainText(qe.certData)
  return {
    header,
    bodyKind,
    ...(v5BodyDescriptor === undefined ? {} : { v5BodyDescriptor }),
    body,
    signedBytes,
    signature,
    attestationKey,
    qe,
  }
}

function parseQeBlock(c: Cursor): QeCertificationData {
  const qeReport = c.take(SGX_REPORT_SIZE, 'QE report')
  const qeReportSignature = c.take(64, 'QE report signature')
  const authLength = c.u16('QE auth data length')
  const qeAuthData = c.take(authLength, 'QE auth data')
  const certType = c.u16('PCK certification data type')
  const certLength = c.u32('PCK certification data size')
  const certData = c.take(certLength, 'PCK certification data')
  return { qeReport, qeReportSignature, qeAuthData, certType, certData }
}

/** Report data (64 B) of the quote's body: offset 320 in an enclave report, 520 in a TD report. */
export function quoteReportData(quote: DcapQuote): Uint8Array {
  return quote.bodyKind === 'sgx' ? quote.body.subarray(320, 384) : quote.body.subarray(520, 584)
}

/** The init-data field: SGX `config_id` (64 B at 192), TDX `mr_config_id` (48 B at 184). */
export function quoteInitDataField(quote: DcapQuote): Uint8Array {
  return quote.bodyKind === 'sgx' ? quote.body.subarray(192, 256) : quote.body.subarray(184, 232)
}
