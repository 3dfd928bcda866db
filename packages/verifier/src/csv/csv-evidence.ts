import { evidenceObject } from '../evidence-json.ts'
import { VerificationError } from '../verifier.ts'
import { caCertificateBytes, csvCertificateBytes } from './cert-json.ts'
import { CSV_CERT_SIZE } from './hygon-cert.ts'
import { parseCsvReport, REPORT_SIZE, type CsvReport } from './csv-report.ts'
import { byteArray, malformed, objectAt, requireZero, unsigned } from './serde-bytes.ts'

export interface CsvEvidence {
  readonly report: CsvReport
  /** The PEK certificate (2084 bytes). */
  readonly pek: Uint8Array
  /** HSK (832 bytes) and CEK (2084 bytes) when the evidence carries them. */
  readonly hskCek?: { readonly hsk: Uint8Array; readonly cek: Uint8Array }
  /** The chip id (`serial_number` as text, trailing NULs removed): the key for the HSK/CEK. */
  readonly chipId: string
  /** `cc_eventlog` as sent (base64), when not null. */
  readonly ccEventLog?: string
}

/** Where the signer block starts (after `TeeInfoV1` / `TeeInfoV2`) and its size (PEK, serial, reserved, HMAC). */
const SIGNER_V1 = 0x150
const SIGNER_V2 = 0x490
const SIGNER_SIZE = CSV_CERT_SIZE + 64 + 32 + 32

function chipIdOf(serial: Uint8Array): string {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(serial)
  } catch (cause) {
    throw new VerificationError('EVIDENCE_MALFORMED', 'csv evidence.serial_number is not UTF-8', { cause })
  }
  return text.replace(/\0+$/, '')
}

/**
 * Standard padded base64 in its one canonical form (text that re-encodes to itself: base64 whose
 * unused bits are set decodes the same and is refused), decoded. Two native passes, no pattern.
 */
export function canonicalBase64(text: string, path: string): Uint8Array {
  const bytes = Buffer.from(text, 'base64')
  if (bytes.toString('base64') !== text) malformed(path, 'not canonical standard base64')
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length)
}

/** `cc_eventlog`: null, or base64 text (decoded where it is read: csv-event-log.ts for v2 reports). */
function eventLogTextOf(value: unknown, version: 1 | 2): string | undefined {
  if (value === null) return undefined
  if (typeof value !== 'string') malformed('cc_eventlog', 'expected standard base64 or null')
  // A v1 report has no RTMRs and its log is not read (as upstream); it must still be base64.
  if (version === 1) canonicalBase64(value, 'cc_eventlog')
  return value
}

/**
 * The report's signer block (after the tee info: PEK copy, chip serial, reserved, HMAC) and the
 * padding to 4096 bytes are not signed. The attester leaves the PEK and serial there unmasked, so
 * they must equal the evidence's PEK and `serial_number`, the reserved bytes and the padding zero.
 * The HMAC (keyed with the guest's own nonce) cannot be checked by a verifier and is not read.
 */
function checkSignerBlock(data: Uint8Array, version: 1 | 2, pek: Uint8Array, serial: Uint8Array): void {
  const at = version === 1 ? SIGNER_V1 : SIGNER_V2
  const path = 'attestation_report.data'
  if (!Buffer.from(data.subarray(at, at + CSV_CERT_SIZE)).equals(pek)) {
    malformed(path, 'the report signer block holds another PEK than cert_chain.pek')
  }
  if (serial.length > 64) malformed('serial_number', `${String(serial.length)} bytes, at most 64`)
  const sn = new Uint8Array(64)
  sn.set(serial)
  if (!Buffer.from(data.subarray(at + CSV_CERT_SIZE, at + CSV_CERT_SIZE + 64)).equals(sn)) {
    malformed(path, 'the report signer block holds another chip serial than serial_number')
  }
  requireZero(data.subarray(at + CSV_CERT_SIZE + 64, at + CSV_CERT_SIZE + 96), `${path} (signer reserved)`)
  requireZero(data.subarray(at + SIGNER_SIZE), `${path} (padding)`)
}

/**
 * Hygon CSV evidence: the serde JSON of upstream's `CsvEvidence` (`attestation_report` wrapper,
 * `cert_chain` with the PEK and optionally the HSK/CEK, `serial_number` bytes, `cc_eventlog`),
 * as an object, JSON text or its bytes. Certificates are laid out again in their binary form.
 */
export function parseCsvEvidence(evidence: unknown): CsvEvidence {
  const root = objectAt(
    evidenceObject(evidence, 'csv'),
    '',
    // `cc_eventlog` is always sent (null when there is none), so its absence is not another spelling of null.
    ['attestation_report', 'cert_chain', 'serial_number', 'cc_eventlog'],
  )
  const wrapper = objectAt(root['attestation_report'], 'attestation_report', ['magic', 'flags', 'data'])
  const data = byteArray(wrapper['data'], 'attestation_report.data', REPORT_SIZE)
  const report = parseCsvReport(
    byteArray(wrapper['magic'], 'attestation_report.magic', 16),
    unsigned(wrapper['flags'], 'attestation_report.flags', 0xffffffff),
    data,
  )
  const chain = objectAt(root['cert_chain'], 'cert_chain', ['pek'], ['hsk_cek'])
  const pek = csvCertificateBytes(chain['pek'], 'cert_chain.pek')
  let hskCek: CsvEvidence['hskCek']
  if (chain['hsk_cek'] !== undefined) {
    const pair = objectAt(chain['hsk_cek'], 'cert_chain.hsk_cek', ['hsk', 'cek'])
    hskCek = {
      hsk: caCertificateBytes(pair['hsk'], 'cert_chain.hsk_cek.hsk'),
      cek: csvCertificateBytes(pair['cek'], 'cert_chain.hsk_cek.cek'),
    }
  }
  const serial = byteArray(root['serial_number'], 'serial_number')
  checkSignerBlock(data, report.version, pek, serial)
  const chipId = chipIdOf(serial)
  const ccEventLog = eventLogTextOf(root['cc_eventlog'], report.version)
  return {
    report,
    pek,
    ...(hskCek === undefined ? {} : { hskCek }),
    chipId,
    ...(ccEventLog === undefined ? {} : { ccEventLog }),
  }
}
