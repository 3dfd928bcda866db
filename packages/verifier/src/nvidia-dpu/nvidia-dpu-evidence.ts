import type { JsonObject } from '@carapace/protocol'
import { evidenceObject, stringField } from '../evidence-json.ts'
import { VerificationError } from '../verifier.ts'

/** The one device of `{"version":…,"devices":[…]}` as the guest's DPU attester sends it. */
export interface NvidiaDpuDeviceEvidence {
  /** Always "bluefield3" (the only architecture the attester reports); not signed. */
  readonly architecture: 'bluefield3'
  /** DER of the DICE Alias certificate (its key signs the report data). */
  readonly aliasCert: Uint8Array
  /** DER of the DICE DeviceID certificate (signed by the configured root CA). */
  readonly deviceIdCert: Uint8Array
  /** ECDSA P-384 over the report data: DER, or r‖s of 48 bytes each. */
  readonly reportDataSignature: Uint8Array
}

export interface NvidiaDpuEvidence {
  readonly version: 1
  readonly device: NvidiaDpuDeviceEvidence
}

const TEE = 'nvidia-dpu'
const TOP_KEYS = new Set(['version', 'devices'])
const DEVICE_KEYS = new Set(['architecture', 'alias_cert', 'device_id_cert', 'report_data_signature'])

function malformed(message: string): VerificationError {
  return new VerificationError('EVIDENCE_MALFORMED', `nvidia-dpu evidence: ${message}`)
}

/** Unknown keys are refused: nothing outside the listed fields may ride along unverified. */
function onlyKeys(object: JsonObject, allowed: ReadonlySet<string>, where: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.has(key)) throw malformed(`${where}: unknown field ${JSON.stringify(key)}`)
  }
}

/** Standard padded base64 in its one canonical spelling (no other text may decode to the same bytes). */
function nonEmptyBase64(object: JsonObject, field: string): Uint8Array {
  const text = stringField(object, field, TEE)
  const bytes = Buffer.from(text, 'base64')
  if (bytes.toString('base64') !== text) throw malformed(`${field} is not canonical standard base64`)
  if (bytes.length === 0) throw malformed(`${field} is empty`)
  return new Uint8Array(bytes)
}

/**
 * Parses the evidence (version 1, architecture bluefield3, else `UNSUPPORTED_VERSION`). Exactly one device is accepted (upstream's rule: one DICE chain per
 * evidence); an empty `report_data_signature` is refused, so unsigned evidence never passes.
 */
export function parseNvidiaDpuEvidence(evidence: unknown): NvidiaDpuEvidence {
  const object = evidenceObject(evidence, TEE)
  onlyKeys(object, TOP_KEYS, 'evidence')
  const version = object.version
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0 || version > 0xffff_ffff) {
    throw malformed('version: expected an unsigned 32-bit integer')
  }
  // Neither field is signed; upstream reads neither. Pinned to what the attester sends so that no
  // unverified variation of the evidence is accepted.
  if (version !== 1) {
    throw new VerificationError('UNSUPPORTED_VERSION', `nvidia-dpu evidence version ${String(version)} (expected 1)`)
  }
  const devices = object.devices
  if (!Array.isArray(devices)) throw malformed('devices: expected an array')
  if (devices.length !== 1) throw malformed(`expected exactly one device, got ${String(devices.length)}`)
  const device: unknown = devices[0]
  if (typeof device !== 'object' || device === null || Array.isArray(device)) {
    throw malformed('devices[0] is not an object')
  }
  const entry = device as JsonObject
  onlyKeys(entry, DEVICE_KEYS, 'devices[0]')
  const architecture = stringField(entry, 'architecture', TEE)
  if (architecture !== 'bluefield3') {
    throw new VerificationError(
      'UNSUPPORTED_VERSION',
      `nvidia-dpu: architecture ${JSON.stringify(architecture)} (this verifier knows "bluefield3")`,
    )
  }
  return {
    version,
    device: {
      architecture,
      aliasCert: nonEmptyBase64(entry, 'alias_cert'),
      deviceIdCert: nonEmptyBase64(entry, 'device_id_cert'),
      reportDataSignature: nonEmptyBase64(entry, 'report_data_signature'),
    },
  }
}
