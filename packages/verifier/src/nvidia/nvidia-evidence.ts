import { isJsonObject, type JsonObject } from '@carapace/protocol'
import { base64Field, evidenceObject, stringField } from '../evidence-json.ts'
import { VerificationError } from '../verifier.ts'

/** Device architectures an NVIDIA attester reports (upstream accepts any letter case). */
export type NvidiaArch = 'Hopper' | 'Blackwell' | 'LS10'

/** One device of `{"device_evidence_list":[…]}`. */
export interface NvidiaDeviceEvidence {
  readonly arch: NvidiaArch
  readonly uuid?: string
  /** GET_MEASUREMENTS request ‖ signed response. */
  readonly report: Uint8Array
  /** The PEM certificate chain, leaf first. */
  readonly certificateChainPem: string
}

const TEE = 'nvidia'
/** Lower-case hex, as the attester writes it; any other text is read as base64. */
const HEX = /^(?:[0-9a-f]{2})+$/u
/** The spellings upstream's evidence type accepts (serde names and aliases), nothing else. */
const ARCHES: Readonly<Record<string, NvidiaArch>> = {
  Hopper: 'Hopper',
  HOPPER: 'Hopper',
  Blackwell: 'Blackwell',
  BLACKWELL: 'Blackwell',
  LS10: 'LS10',
}
const DEVICE_KEYS = new Set(['arch', 'uuid', 'evidence', 'certificate'])

function malformed(message: string): VerificationError {
  return new VerificationError('EVIDENCE_MALFORMED', `nvidia evidence: ${message}`)
}

function parseArch(text: string): NvidiaArch {
  const arch = Object.hasOwn(ARCHES, text) ? ARCHES[text] : undefined
  if (arch === undefined) throw malformed(`unknown arch ${JSON.stringify(text)}`)
  return arch
}

/** The report is hex (the original encoding) or, when it is not hex, standard base64. */
function parseReport(device: JsonObject): Uint8Array {
  const text = stringField(device, 'evidence', TEE)
  if (HEX.test(text)) return new Uint8Array(Buffer.from(text, 'hex'))
  return base64Field(device, 'evidence', TEE)
}

function parseDevice(value: unknown, index: number): NvidiaDeviceEvidence {
  if (!isJsonObject(value)) throw malformed(`device_evidence_list[${String(index)}] is not an object`)
  const device = value
  const unknown = Object.keys(device).find((key) => !DEVICE_KEYS.has(key))
  if (unknown !== undefined) throw malformed(`device_evidence_list[${String(index)}]: unknown field ${unknown}`)
  const uuid = device.uuid
  if (uuid !== undefined && typeof uuid !== 'string') throw malformed('uuid: expected a string')
  const pem = new TextDecoder('utf-8', { fatal: false }).decode(base64Field(device, 'certificate', TEE))
  return {
    arch: parseArch(stringField(device, 'arch', TEE)),
    ...(uuid === undefined ? {} : { uuid }),
    report: parseReport(device),
    certificateChainPem: pem,
  }
}

/**
 * Every device of the evidence; an empty list is refused (nothing would be attested). Nothing signs
 * the JSON, so it is read strictly: no field besides upstream's, `arch` only in upstream's
 * spellings, the report in lower-case hex or canonical base64, the chain as strict PEM. `uuid` is
 * the one value no signature or certificate covers (the SPDM report and the device certificates
 * carry no GPU UUID); it is passed to the claims as upstream does, as the attester's label.
 */
export function parseNvidiaEvidence(evidence: unknown): NvidiaDeviceEvidence[] {
  const object = evidenceObject(evidence, TEE)
  const unknown = Object.keys(object).find((key) => key !== 'device_evidence_list')
  if (unknown !== undefined) throw malformed(`unknown field ${unknown}`)
  const list = object.device_evidence_list
  if (!Array.isArray(list)) throw malformed('device_evidence_list: expected an array')
  if (list.length === 0) throw malformed('device_evidence_list is empty')
  return list.map(parseDevice)
}
