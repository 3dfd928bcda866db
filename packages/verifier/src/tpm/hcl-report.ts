import { createHash, createPublicKey, type KeyObject } from 'node:crypto'
import { isJsonObject, type JsonObject } from '@carapace/protocol'
import { ContentCache } from '../content-cache.ts'
import { VerificationError } from '../verifier.ts'

/** Azure's HCL ("paravisor") attestation report: header, hardware report, IGVM request data. */
export interface HclReport {
  readonly reportType: 'snp' | 'tdx'
  /** The 1184-byte hardware report area (an SNP report, or a TDREPORT followed by padding). */
  readonly hardwareReport: Uint8Array
  /** The IGVM variable data exactly as hashed into the hardware report's report data. */
  readonly varData: Uint8Array
  /** SHA-256 of `varData`: must equal the hardware report's report_data[0..32]. */
  readonly varDataSha256: Uint8Array
  /** `varData` parsed: `{"keys":[…JWK…],"vm-configuration":{…},"user-data":"<hex>"}`. */
  readonly varDataJson: JsonObject
}

const HCL_SIGNATURE = 0x414c4348 // "HCLA" little-endian
/** The size of the vTPM NV index the paravisor writes the report to (every real report has it). */
export const HCL_REPORT_SIZE = 2600
const HEADER_SIZE = 0x20
const HW_REPORT_SIZE = 1184
const IGVM_HEADER_SIZE = 20
const REPORT_TYPES: Record<number, 'snp' | 'tdx'> = { 2: 'snp', 4: 'tdx' }
const HASH_TYPE_SHA256 = 1
const REQUEST_TYPE_AK_CERT = 2
const IGVM_REQUEST_VERSION = 1

/**
 * Parsed reports per exact bytes. The paravisor writes the report once per boot (evidence v0/v1
 * repeat it with every quote; v2's user-data changes it per request, which only misses). Only
 * reports that parsed are kept; the result is shared, so it is frozen (its byte fields are copies
 * of the evidence that nothing writes to).
 */
const parsedReports = new ContentCache<HclReport>(64)

/**
 * Parses an HCL report (remembered per exact bytes); anything not of that shape is `EVIDENCE_MALFORMED`. The header and the
 * IGVM request header are not signed by anything, so they must be exactly what the paravisor
 * writes (versions, request type 2, status 0, sizes that add up, zero reserved bytes, and the
 * whole 2600-byte NV index: zero padding from `report_size` to its end, neither cut nor extended):
 * unauthenticated bytes may not carry anything else, and one report has one accepted encoding.
 */
export function parseHclReport(bytes: Uint8Array): HclReport {
  return parsedReports.get(bytes, 'hcl', () => parseHclReportBytes(bytes))
}

function parseHclReportBytes(bytes: Uint8Array): HclReport {
  const malformed = (why: string): never => {
    throw new VerificationError('EVIDENCE_MALFORMED', `HCL report: ${why}`)
  }
  if (bytes.length !== HCL_REPORT_SIZE)
    malformed(`${String(bytes.length)} bytes (the report is the ${String(HCL_REPORT_SIZE)}-byte vTPM NV index)`)
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (b.readUInt32LE(0) !== HCL_SIGNATURE) malformed('no HCLA signature')
  if (![1, 2].includes(b.readUInt32LE(4))) malformed(`header version ${String(b.readUInt32LE(4))}`)
  const reportSize = b.readUInt32LE(8)
  if (b.readUInt32LE(12) !== REQUEST_TYPE_AK_CERT) malformed(`request type ${String(b.readUInt32LE(12))}`)
  if (b.readUInt32LE(16) !== 0) malformed(`status ${String(b.readUInt32LE(16))}`)
  if (b.subarray(20, HEADER_SIZE).some((x) => x !== 0)) malformed('reserved header bytes are not zero')
  const igvm = HEADER_SIZE + HW_REPORT_SIZE
  const dataSize = b.readUInt32LE(igvm)
  if (b.readUInt32LE(igvm + 4) !== IGVM_REQUEST_VERSION)
    malformed(`IGVM request data version ${String(b.readUInt32LE(igvm + 4))}`)
  const reportType = REPORT_TYPES[b.readUInt32LE(igvm + 8)]
  if (reportType === undefined)
    malformed(`report type ${String(b.readUInt32LE(igvm + 8))} is neither SNP (2) nor TDX (4)`)
  if (b.readUInt32LE(igvm + 12) !== HASH_TYPE_SHA256) malformed('variable data is not hashed with SHA-256')
  const varDataSize = b.readUInt32LE(igvm + 16)
  if (dataSize !== IGVM_HEADER_SIZE + varDataSize || reportSize !== igvm + dataSize) {
    malformed('report, request data and variable data sizes do not add up')
  }
  if (reportSize > bytes.length)
    malformed(`report size ${String(reportSize)} exceeds the ${String(bytes.length)} bytes`)
  if (b.subarray(reportSize).some((x) => x !== 0)) malformed('bytes after the report are not zero padding')
  const start = igvm + IGVM_HEADER_SIZE
  const varData = bytes.slice(start, start + varDataSize)
  let varDataJson: unknown
  try {
    varDataJson = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(varData))
  } catch (cause) {
    throw new VerificationError('EVIDENCE_MALFORMED', 'HCL report: variable data is not JSON', { cause })
  }
  if (!isJsonObject(varDataJson)) malformed('variable data is not a JSON object')
  return Object.freeze({
    reportType: reportType ?? 'snp',
    hardwareReport: bytes.slice(HEADER_SIZE, HEADER_SIZE + HW_REPORT_SIZE),
    varData,
    varDataSha256: new Uint8Array(createHash('sha256').update(varData).digest()),
    varDataJson: deepFreeze(varDataJson as JsonObject),
  })
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}

/** Imported HCL AKs by their exact JWK `n` and `e` text: a vTPM signs every quote with one key. */
const importedAks = new Map<string, KeyObject>()
const IMPORTED_AKS_MAX = 256
/** The key of each remembered (frozen) report, found without building the `n`/`e` text again. */
const reportAks = new WeakMap<HclReport, KeyObject>()

/** The vTPM attestation key: the RSA JWK `kid: "HCLAkPub"` of the variable data. */
export function hclAttestationKey(report: HclReport): KeyObject {
  const known = reportAks.get(report)
  if (known !== undefined) return known
  const key = importAttestationKey(report)
  reportAks.set(report, key)
  return key
}

function importAttestationKey(report: HclReport): KeyObject {
  const keys = report.varDataJson['keys']
  const jwk = Array.isArray(keys) ? keys.find((k) => isJsonObject(k) && k['kid'] === 'HCLAkPub') : undefined
  if (!isJsonObject(jwk) || jwk['kty'] !== 'RSA' || typeof jwk['n'] !== 'string' || typeof jwk['e'] !== 'string') {
    throw new VerificationError('EVIDENCE_MALFORMED', 'HCL report: no RSA HCLAkPub key in the variable data')
  }
  const id = `${jwk['n']}.${jwk['e']}`
  const known = importedAks.get(id)
  if (known !== undefined) return known
  let key: KeyObject
  try {
    key = createPublicKey({ key: { kty: 'RSA', n: jwk['n'], e: jwk['e'] }, format: 'jwk' })
  } catch (cause) {
    throw new VerificationError('EVIDENCE_MALFORMED', 'HCL report: HCLAkPub is not a usable RSA key', { cause })
  }
  if (importedAks.size >= IMPORTED_AKS_MAX) importedAks.delete(importedAks.keys().next().value ?? '')
  importedAks.set(id, key)
  return key
}

/**
 * Evidence v2: the variable data's `user-data` (hex, any case) starts with the expected report
 * data, so the runtime data is bound through the hardware report too; `REPORT_DATA_MISMATCH` otherwise.
 */
export function checkHclUserData(report: HclReport, expectedReportData: Uint8Array): void {
  const userData = report.varDataJson['user-data']
  if (typeof userData !== 'string') throw new VerificationError('EVIDENCE_MALFORMED', 'HCL report: no user-data')
  if (!userData.toLowerCase().startsWith(Buffer.from(expectedReportData).toString('hex'))) {
    throw new VerificationError('REPORT_DATA_MISMATCH', 'HCL user-data does not start with the expected report data')
  }
}

/**
 * Evidence v0/v1: their attesters do not set the HCL user data, so it must be unset (absent, or
 * hex zeros as in every real v0/v1 report). A v2 evidence relabelled v1 — which would skip the
 * user-data check — is `EVIDENCE_MALFORMED`; so is v1 evidence read from a vTPM whose user data a
 * v2 attester set (attest with v2 there).
 */
export function checkHclUserDataUnset(report: HclReport): void {
  const userData = report.varDataJson['user-data']
  if (userData === undefined || (typeof userData === 'string' && /^0*$/.test(userData))) return
  throw new VerificationError('EVIDENCE_MALFORMED', 'HCL user-data is set, but the evidence version is below 2')
}

/** SHA-256(var-data) must be the first 32 bytes of the hardware report's report data. */
export function checkHclVarDataBinding(report: HclReport, hardwareReportData: Uint8Array): void {
  if (!Buffer.from(report.varDataSha256).equals(Buffer.from(hardwareReportData.subarray(0, 32)))) {
    throw new VerificationError(
      'REPORT_DATA_MISMATCH',
      'the hardware report data is not SHA-256 of the HCL variable data',
    )
  }
}
