import { isJsonObject, type JsonObject, type JsonValue } from '@carapace/protocol'
import { evidenceObject } from '../evidence-json.ts'
import { onlyFields } from '../only-fields.ts'
import { VerificationError } from '../verifier.ts'
import { decodeTcb, encodeTcb } from './snp-product.ts'
import { SNP_REPORT_SIZE, SNP_SIGNATURE_COMPONENT, SnpOffset } from './snp-report.ts'

/**
 * SNP evidence as the guest attester sends it: `{"attestation_report": <the sev crate's serde form
 * of AttestationReport>, "cert_chain": [{"cert_type": "VCEK", "data": [DER bytes]}, …] | null}`.
 * The serde form carries every field except the reserved ones, so the signed bytes are rebuilt with
 * zeros there (as upstream does). Raw 1184-byte reports are accepted too (`carapace evidence verify`).
 */

export interface SnpCertEntry {
  /** `ARK`, `ASK`, `VCEK`, `VLEK`, `CRL`, or another name the host put in the table. */
  readonly certType: string
  readonly data: Uint8Array
}

export interface SnpEvidence {
  readonly report: Uint8Array
  readonly certChain: readonly SnpCertEntry[]
}

const TEE = 'snp'

function malformed(message: string): never {
  throw new VerificationError('EVIDENCE_MALFORMED', `snp evidence: ${message}`)
}

const EVIDENCE_KEYS = new Set(['attestation_report', 'cert_chain'])
const REPORT_KEYS = new Set([
  'version',
  'guest_svn',
  'policy',
  'family_id',
  'image_id',
  'vmpl',
  'sig_algo',
  'current_tcb',
  'plat_info',
  'key_info',
  'report_data',
  'measurement',
  'host_data',
  'id_key_digest',
  'author_key_digest',
  'report_id',
  'report_id_ma',
  'reported_tcb',
  'cpuid_fam_id',
  'cpuid_mod_id',
  'cpuid_step',
  'chip_id',
  'committed_tcb',
  'current',
  'committed',
  'launch_tcb',
  'launch_mit_vector',
  'current_mit_vector',
  'signature',
])
const TCB_KEYS = new Set(['fmc', 'bootloader', 'tee', 'snp', 'microcode'])
const VERSION_KEYS = new Set(['major', 'minor', 'build'])
const SIGNATURE_KEYS = new Set(['r', 's'])
const CERT_ENTRY_KEYS = new Set(['cert_type', 'data'])
const TCB_FIELDS = ['current_tcb', 'reported_tcb', 'committed_tcb', 'launch_tcb'] as const

/**
 * Fields newer versions of the sev crate added: within a group, all are present or none is (one
 * evidence comes from one crate version), and each must be null exactly when the report version
 * has no such field, so a report has one accepted JSON form per crate version.
 */
function checkOptionalFields(json: JsonObject): void {
  const version = json['version']
  const groups: readonly (readonly [readonly string[], boolean])[] = [
    [['cpuid_fam_id', 'cpuid_mod_id', 'cpuid_step'], typeof version === 'number' && version >= 3],
    [['launch_mit_vector', 'current_mit_vector'], typeof version === 'number' && version >= 5],
  ]
  for (const [fields, inVersion] of groups) {
    const present = fields.filter((f) => f in json).length
    if (present !== 0 && present !== fields.length) malformed(`${fields.join(', ')}: all or none`)
    for (const f of fields) {
      if (f in json && (json[f] === null) === inVersion) {
        malformed(`${f} must be ${inVersion ? 'a number' : 'null'} in a version ${JSON.stringify(version)} report`)
      }
    }
  }
  const fmc = TCB_FIELDS.filter((f) => {
    const tcb = json[f]
    return isJsonObject(tcb) && 'fmc' in tcb
  }).length
  if (fmc !== 0 && fmc !== TCB_FIELDS.length) malformed('fmc: in every TCB or in none')
}

export function parseSnpEvidence(evidence: unknown): SnpEvidence {
  if (evidence instanceof Uint8Array && evidence.length === SNP_REPORT_SIZE && evidence[0] !== 0x7b) {
    return { report: new Uint8Array(evidence), certChain: [] }
  }
  const object = evidenceObject(evidence, TEE)
  onlyFields(object, EVIDENCE_KEYS, 'evidence')
  const report = object['attestation_report']
  if (!isJsonObject(report)) malformed('attestation_report must be an object')
  return { report: reportFromJson(report), certChain: certChainFromJson(object['cert_chain']) }
}

function byteArray(value: JsonValue | undefined, length: number, field: string): Uint8Array {
  // Some wrappers of the sev struct write the byte arrays as hex; accept that spelling too.
  if (typeof value === 'string' && value.length === 2 * length && /^[0-9a-fA-F]*$/.test(value)) {
    return new Uint8Array(Buffer.from(value, 'hex'))
  }
  if (!Array.isArray(value) || value.length !== length)
    malformed(`${field} must be an array of ${String(length)} bytes`)
  const bytes = new Uint8Array(length)
  value.forEach((item, i) => {
    if (typeof item !== 'number' || !Number.isInteger(item) || item < 0 || item > 255)
      malformed(`${field}[${String(i)}]`)
    bytes[i] = item
  })
  return bytes
}

function integer(value: JsonValue | undefined, max: number, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) {
    return malformed(`${field} must be an integer 0..${String(max)}`)
  }
  return value
}

function optionalInteger(value: JsonValue | undefined, max: number, field: string): number {
  return value === undefined || value === null ? 0 : integer(value, max, field)
}

function tcbFromJson(value: JsonValue | undefined, field: string): Uint8Array {
  if (!isJsonObject(value)) return malformed(`${field} must be an object`)
  onlyFields(value, TCB_KEYS, field)
  const fmc = value['fmc']
  const tcb = {
    bootloader: integer(value['bootloader'], 255, `${field}.bootloader`),
    tee: integer(value['tee'], 255, `${field}.tee`),
    snp: integer(value['snp'], 255, `${field}.snp`),
    microcode: integer(value['microcode'], 255, `${field}.microcode`),
  }
  // The sev crate sets `fmc` exactly for Turin-layout TCB values.
  if (fmc === undefined || fmc === null) return encodeTcb(tcb, 'Milan')
  return encodeTcb({ ...tcb, fmc: integer(fmc, 255, `${field}.fmc`) }, 'Turin')
}

function versionFromJson(value: JsonValue | undefined, field: string): [number, number, number] {
  if (!isJsonObject(value)) return malformed(`${field} must be an object`)
  onlyFields(value, VERSION_KEYS, field)
  return [
    integer(value['build'], 255, `${field}.build`),
    integer(value['minor'], 255, `${field}.minor`),
    integer(value['major'], 255, `${field}.major`),
  ]
}

const U32 = 0xffffffff

/** Rebuilds the 1184 report bytes from the serde form. */
export function reportFromJson(json: JsonObject): Uint8Array {
  onlyFields(json, REPORT_KEYS, 'attestation_report')
  checkOptionalFields(json)
  const bytes = new Uint8Array(SNP_REPORT_SIZE)
  const view = new DataView(bytes.buffer)
  const u32 = (offset: number, field: string): void => {
    view.setUint32(offset, integer(json[field], U32, field), true)
  }
  const u64 = (offset: number, value: number): void => {
    view.setBigUint64(offset, BigInt(value), true)
  }
  const bytesAt = (offset: number, field: string, length: number): void => {
    bytes.set(byteArray(json[field], length, field), offset)
  }
  u32(SnpOffset.version, 'version')
  u32(SnpOffset.guestSvn, 'guest_svn')
  u64(SnpOffset.policy, integer(json['policy'], Number.MAX_SAFE_INTEGER, 'policy'))
  bytesAt(SnpOffset.familyId, 'family_id', 16)
  bytesAt(SnpOffset.imageId, 'image_id', 16)
  u32(SnpOffset.vmpl, 'vmpl')
  u32(SnpOffset.signatureAlgo, 'sig_algo')
  bytes.set(tcbFromJson(json['current_tcb'], 'current_tcb'), SnpOffset.currentTcb)
  u64(SnpOffset.platformInfo, integer(json['plat_info'], Number.MAX_SAFE_INTEGER, 'plat_info'))
  u32(SnpOffset.signerInfo, 'key_info')
  bytesAt(SnpOffset.reportData, 'report_data', 64)
  bytesAt(SnpOffset.measurement, 'measurement', 48)
  bytesAt(SnpOffset.hostData, 'host_data', 32)
  bytesAt(SnpOffset.idKeyDigest, 'id_key_digest', 48)
  bytesAt(SnpOffset.authorKeyDigest, 'author_key_digest', 48)
  bytesAt(SnpOffset.reportId, 'report_id', 32)
  bytesAt(SnpOffset.reportIdMa, 'report_id_ma', 32)
  bytes.set(tcbFromJson(json['reported_tcb'], 'reported_tcb'), SnpOffset.reportedTcb)
  bytes[SnpOffset.cpuidFamId] = optionalInteger(json['cpuid_fam_id'], 255, 'cpuid_fam_id')
  bytes[SnpOffset.cpuidModId] = optionalInteger(json['cpuid_mod_id'], 255, 'cpuid_mod_id')
  bytes[SnpOffset.cpuidStep] = optionalInteger(json['cpuid_step'], 255, 'cpuid_step')
  bytesAt(SnpOffset.chipId, 'chip_id', 64)
  bytes.set(tcbFromJson(json['committed_tcb'], 'committed_tcb'), SnpOffset.committedTcb)
  bytes.set(versionFromJson(json['current'], 'current'), SnpOffset.currentBuild)
  bytes.set(versionFromJson(json['committed'], 'committed'), SnpOffset.committedBuild)
  bytes.set(tcbFromJson(json['launch_tcb'], 'launch_tcb'), SnpOffset.launchTcb)
  u64(
    SnpOffset.launchMitVector,
    optionalInteger(json['launch_mit_vector'], Number.MAX_SAFE_INTEGER, 'launch_mit_vector'),
  )
  u64(
    SnpOffset.currentMitVector,
    optionalInteger(json['current_mit_vector'], Number.MAX_SAFE_INTEGER, 'current_mit_vector'),
  )
  const signature = json['signature']
  if (!isJsonObject(signature)) return malformed('signature must be an object')
  onlyFields(signature, SIGNATURE_KEYS, 'signature')
  bytes.set(byteArray(signature['r'], SNP_SIGNATURE_COMPONENT, 'signature.r'), SnpOffset.signatureR)
  bytes.set(byteArray(signature['s'], SNP_SIGNATURE_COMPONENT, 'signature.s'), SnpOffset.signatureS)
  return bytes
}

function certChainFromJson(value: JsonValue | undefined): SnpCertEntry[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) return malformed('cert_chain must be an array or null')
  return value.map((entry, i) => {
    if (!isJsonObject(entry)) return malformed(`cert_chain[${String(i)}] must be an object`)
    onlyFields(entry, CERT_ENTRY_KEYS, `cert_chain[${String(i)}]`)
    const type = entry['cert_type']
    // Unit variants serialise as strings; `OTHER(uuid)` as an object of that one key.
    const certType =
      typeof type === 'string'
        ? type
        : isJsonObject(type) && Object.keys(type).length === 1
          ? Object.keys(type)[0]
          : undefined
    if (certType === undefined) return malformed(`cert_chain[${String(i)}].cert_type`)
    const data = entry['data']
    if (!Array.isArray(data)) return malformed(`cert_chain[${String(i)}].data must be a byte array`)
    return { certType, data: byteArray(data, data.length, `cert_chain[${String(i)}].data`) }
  })
}

/** The serde form of a raw report (what the guest attester sends); used by tests and tools. */
export function reportToJson(report: Uint8Array): JsonObject {
  if (report.length !== SNP_REPORT_SIZE) malformed(`report must be ${String(SNP_REPORT_SIZE)} bytes`)
  const view = new DataView(report.buffer, report.byteOffset, report.byteLength)
  const list = (offset: number, length: number): number[] => Array.from(report.subarray(offset, offset + length))
  const version = view.getUint32(SnpOffset.version, true)
  const turin = version >= 3 && (report[SnpOffset.cpuidFamId] as number) >= 0x1a
  const tcb = (offset: number): JsonObject => {
    const t = decodeTcb(report.subarray(offset, offset + 8), turin ? 'Turin' : 'Milan')
    return { fmc: t.fmc ?? null, bootloader: t.bootloader, tee: t.tee, snp: t.snp, microcode: t.microcode }
  }
  const ver = (offset: number): JsonObject => ({
    major: report[offset + 2] as number,
    minor: report[offset + 1] as number,
    build: report[offset] as number,
  })
  const v3 = version >= 3
  const v5 = version >= 5
  return {
    version,
    guest_svn: view.getUint32(SnpOffset.guestSvn, true),
    policy: Number(view.getBigUint64(SnpOffset.policy, true)),
    family_id: list(SnpOffset.familyId, 16),
    image_id: list(SnpOffset.imageId, 16),
    vmpl: view.getUint32(SnpOffset.vmpl, true),
    sig_algo: view.getUint32(SnpOffset.signatureAlgo, true),
    current_tcb: tcb(SnpOffset.currentTcb),
    plat_info: Number(view.getBigUint64(SnpOffset.platformInfo, true)),
    key_info: view.getUint32(SnpOffset.signerInfo, true),
    report_data: list(SnpOffset.reportData, 64),
    measurement: list(SnpOffset.measurement, 48),
    host_data: list(SnpOffset.hostData, 32),
    id_key_digest: list(SnpOffset.idKeyDigest, 48),
    author_key_digest: list(SnpOffset.authorKeyDigest, 48),
    report_id: list(SnpOffset.reportId, 32),
    report_id_ma: list(SnpOffset.reportIdMa, 32),
    reported_tcb: tcb(SnpOffset.reportedTcb),
    cpuid_fam_id: v3 ? (report[SnpOffset.cpuidFamId] as number) : null,
    cpuid_mod_id: v3 ? (report[SnpOffset.cpuidModId] as number) : null,
    cpuid_step: v3 ? (report[SnpOffset.cpuidStep] as number) : null,
    chip_id: list(SnpOffset.chipId, 64),
    committed_tcb: tcb(SnpOffset.committedTcb),
    current: ver(SnpOffset.currentBuild),
    committed: ver(SnpOffset.committedBuild),
    launch_tcb: tcb(SnpOffset.launchTcb),
    launch_mit_vector: v5 ? Number(view.getBigUint64(SnpOffset.launchMitVector, true)) : null,
    current_mit_vector: v5 ? Number(view.getBigUint64(SnpOffset.currentMitVector, true)) : null,
    signature: { r: list(SnpOffset.signatureR, 72), s: list(SnpOffset.signatureS, 72) },
  }
}

/** Evidence JSON text for a report and its certificate table entries. */
export function snpEvidenceJson(report: Uint8Array, certChain: readonly SnpCertEntry[] | null): string {
  return JSON.stringify({
    attestation_report: reportToJson(report),
    cert_chain: certChain === null ? null : certChain.map((e) => ({ cert_type: e.certType, data: Array.from(e.data) })),
  })
}
