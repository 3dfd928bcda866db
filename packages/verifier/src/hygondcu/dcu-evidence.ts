import { evidenceObject } from '../evidence-json.ts'
import { VerificationError } from '../verifier.ts'
import { littleEndianBigInt } from '../csv/hygon-cert.ts'
import { malformed, objectAt, SerdeWriter } from '../csv/serde-bytes.ts'

/** The signed body of a DCU attestation report (csv-rs `api::dcu::Body`, little-endian). */
export const DCU_BODY_SIZE = 252

export interface DcuReport {
  /** The CEK-signed bytes. */
  readonly body: Uint8Array
  readonly version: number
  readonly chipId: Uint8Array
  readonly userData: Uint8Array
  readonly measure: Uint8Array
  readonly reserved: Uint8Array
  readonly sigUsage: number
  readonly sigAlgo: number
  readonly r: bigint
  readonly s: bigint
}

function parseReport(value: unknown, path: string): DcuReport {
  const report = objectAt(value, path, ['body', 'sig'])
  const b = `${path}.body`
  const body = objectAt(report['body'], b, [
    'version',
    'chip_id',
    'user_data',
    'measure',
    'reserved',
    'sig_usage',
    'sig_algo',
  ])
  const w = new SerdeWriter(DCU_BODY_SIZE)
  w.u32(body, 'version', b)
  const chipId = w.array(body, 'chip_id', b, 16)
  const userData = w.array(body, 'user_data', b, 64)
  const measure = w.array(body, 'measure', b, 32)
  const reserved = w.array(body, 'reserved', b, 128)
  w.u32(body, 'sig_usage', b)
  w.u32(body, 'sig_algo', b)
  const bytes = w.done(b)
  const sig = objectAt(report['sig'], `${path}.sig`, ['r', 's'])
  const rs = new SerdeWriter(144)
  const r = rs.array(sig, 'r', `${path}.sig`, 72)
  const s = rs.array(sig, 's', `${path}.sig`, 72)
  const view = new DataView(bytes.buffer)
  return {
    body: bytes,
    version: view.getUint32(0, true),
    chipId,
    userData,
    measure,
    reserved,
    sigUsage: view.getUint32(244, true),
    sigAlgo: view.getUint32(248, true),
    r: littleEndianBigInt(r),
    s: littleEndianBigInt(s),
  }
}

/**
 * Hygon DCU evidence: `{"attestation_reports":[…]}`, the serde JSON of csv-rs `api::dcu`
 * attestation reports (one per DCU), as an object, JSON text or its bytes. At least one report.
 */
export function parseDcuEvidence(evidence: unknown): DcuReport[] {
  const root = objectAt(evidenceObject(evidence, 'hygondcu'), '', ['attestation_reports'])
  const reports = root['attestation_reports']
  if (!Array.isArray(reports)) malformed('attestation_reports', 'expected an array')
  if (reports.length === 0) {
    throw new VerificationError('EVIDENCE_MALFORMED', 'hygondcu evidence has no attestation report')
  }
  const parsed = reports.map((r, i) => parseReport(r, `attestation_reports[${String(i)}]`))
  const chips = new Set(parsed.map((r) => Buffer.from(r.chipId).toString('hex')))
  if (chips.size !== parsed.length) {
    throw new VerificationError('EVIDENCE_MALFORMED', 'hygondcu evidence has two reports of one chip')
  }
  return parsed
}

/** The chip id as text (trailing NULs removed): the key for its HSK/CEK. */
export function dcuChipId(report: DcuReport): string {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(report.chipId)
  } catch (cause) {
    throw new VerificationError('EVIDENCE_MALFORMED', 'hygondcu chip_id is not UTF-8', { cause })
  }
  return text.replace(/\0+$/, '')
}
