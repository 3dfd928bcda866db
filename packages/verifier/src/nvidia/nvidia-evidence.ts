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
const HEX = /^(?:[0-9a-fA-F]{2})+$/u
const ARCHES: readonly NvidiaArch[] = ['Hopper', 'Blackwell', 'LS10']

function malformed(message: string): VerificationError {
  return new VerificationError('EVIDENCE_MALFORMED', `nvidia evidence: ${message}`)
}

function parseArch(text: string): NvidiaArch {
  const arch = ARCHES.find((a) => a.toLowerCase() === text.toLowerCase())
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

/** Every device of the evidence; an empty list is refused (nothing would be attested). */
export function parseNvidiaEvidence(evidence: unknown): NvidiaDeviceEvidence[] {
  const object = evidenceObject(evidence, TEE)
  const list = object.device_evidence_list
  if (!Array.isArray(list)) throw malformed('device_evidence_list: expected an array')
  if (list.length === 0) throw malformed('device_evidence_list is empty')
  return list.map(parseDevice)
}
