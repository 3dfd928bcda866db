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
  /** The decoded `cc_eventlog`, when present. */
  readonly ccEventLog?: Uint8Array
}

/** Where the signer block starts (after `TeeInfoV1` / `TeeInfoV2`) and its size (PEK, serial, reserved, HMAC). */
const SIGNER_V1 = 0x150
const SIGNER_V2 = 0x490
const SIGNER_SIZE = CSV_CERT_SIZE + 64 + 32 + 32

const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

function chipIdOf(serial: Uint8Array): string {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(serial)
  } catch (cause) {
    throw new VerificationError('EVIDENCE_MALFORMED', 'csv evidence.serial_number is not UTF-8', { cause })
  }
  return text.replace(/\0+$/, '')
}

function eventLogOf(value: unknown): Uint8Array | undefined {
  if (value === null) return undefined
  if (typeof value !== 'string' || !STD_BASE64.test(value)) malformed('cc_eventlog', 'expected standard base64 or null')
  const bytes = Buffer.from(value, 'base64')
  // One encoding per log: base64 whose unused bits are set decodes the same and is refused.
  if (bytes.toString('base64') !== value) malformed('cc_eventlog', 'not canonical base64')
  return new Uint8Array(bytes)
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
  const ccEventLog = eventLogOf(root['cc_eventlog'])
  return {
    report,
    pek,
    ...(hskCek === undefined ? {} : { hskCek }),
    chipId,
    ...(ccEventLog === undefined ? {} : { ccEventLog }),
  }
}
