import { VerificationError } from '../verifier.ts'

/*
 * The evidence of an NVIDIA GPU in local mode: an SPDM 1.1 GET_MEASUREMENTS request (37 bytes, it
 * carries the verifier's nonce) followed by the signed MEASUREMENTS response (DSP0274 1.1.1 §10.11).
 * The signature covers the request and the response up to the signature (L1 = request ‖ response).
 */

export const SPDM_VERSION_1_1 = 0x11
export const SPDM_NONCE_SIZE = 32
const REQUEST_SIZE = 37
/** ECDSA P-384, r ‖ s. */
export const HOPPER_SIGNATURE_SIZE = 96
/** MeasurementSpecification bit 0: the DMTF measurement layout. */
const DMTF_SPECIFICATION = 1

export interface MeasurementBlock {
  readonly index: number
  readonly valueType: number
  readonly value: Uint8Array
}

export interface SpdmMeasurementReport {
  /** The nonce the requester sent (request bytes 4..36). */
  readonly requestNonce: Uint8Array
  readonly blocks: readonly MeasurementBlock[]
  /** The responder's nonce. */
  readonly responseNonce: Uint8Array
  /** The response's OpaqueData, undecoded. */
  readonly opaqueData: Uint8Array
  /** Request ‖ response without the signature: what the signature covers. */
  readonly signedBytes: Uint8Array
  readonly signature: Uint8Array
}

function malformed(message: string): VerificationError {
  return new VerificationError('EVIDENCE_MALFORMED', `NVIDIA SPDM evidence: ${message}`)
}

/** Reads `length` bytes at `offset` or fails naming `what`. */
function take(bytes: Uint8Array, offset: number, length: number, what: string): Uint8Array {
  if (offset + length > bytes.length) throw malformed(`${what} runs past the end of the evidence`)
  return bytes.subarray(offset, offset + length)
}

function le16(bytes: Uint8Array, offset: number, what: string): number {
  const b = take(bytes, offset, 2, what)
  return (b[0] ?? 0) | ((b[1] ?? 0) << 8)
}

function le24(bytes: Uint8Array, offset: number, what: string): number {
  const b = take(bytes, offset, 3, what)
  return (b[0] ?? 0) | ((b[1] ?? 0) << 8) | ((b[2] ?? 0) << 16)
}

function parseBlocks(count: number, record: Uint8Array): MeasurementBlock[] {
  const blocks: MeasurementBlock[] = []
  let offset = 0
  for (let i = 0; i < count; i++) {
    const header = take(record, offset, 4, `measurement block ${String(i)}`)
    const index = header[0] ?? 0
    if (header[1] !== DMTF_SPECIFICATION)
      throw malformed(`measurement block ${String(index)} is not in the DMTF layout`)
    const size = le16(record, offset + 2, 'measurement size')
    const measurement = take(record, offset + 4, size, `measurement ${String(index)}`)
    offset += 4 + size
    if (measurement.length < 3) throw malformed(`DMTF measurement ${String(index)} is shorter than its header`)
    const valueSize = le16(measurement, 1, 'DMTF value size')
    if (3 + valueSize !== measurement.length) throw malformed(`DMTF measurement ${String(index)} has the wrong size`)
    blocks.push({ index, valueType: measurement[0] ?? 0, value: measurement.subarray(3) })
  }
  if (offset !== record.length) throw malformed('the measurement record has bytes after its last block')
  return blocks
}

/** Parses request ‖ response; the evidence must end right after the signature. */
export function parseSpdmMeasurementReport(bytes: Uint8Array): SpdmMeasurementReport {
  const request = take(bytes, 0, REQUEST_SIZE, 'GET_MEASUREMENTS request')
  if (request[0] !== SPDM_VERSION_1_1) throw malformed('the request is not SPDM 1.1')
  const requestNonce = request.subarray(4, 4 + SPDM_NONCE_SIZE)
  const response = bytes.subarray(REQUEST_SIZE)
  const header = take(response, 0, 8, 'MEASUREMENTS response header')
  if (header[0] !== SPDM_VERSION_1_1) throw malformed('the response is not SPDM 1.1')
  const blockCount = header[4] ?? 0
  const recordLength = le24(response, 5, 'MeasurementRecordLength')
  let offset = 8
  const blocks = parseBlocks(blockCount, take(response, offset, recordLength, 'measurement record'))
  offset += recordLength
  const responseNonce = take(response, offset, SPDM_NONCE_SIZE, 'response nonce')
  offset += SPDM_NONCE_SIZE
  const opaqueLength = le16(response, offset, 'OpaqueLength')
  offset += 2
  const opaqueData = take(response, offset, opaqueLength, 'opaque data')
  offset += opaqueLength
  const signature = take(response, offset, HOPPER_SIGNATURE_SIZE, 'signature')
  offset += HOPPER_SIGNATURE_SIZE
  if (offset !== response.length) throw malformed('bytes follow the signature')
  return {
    requestNonce,
    blocks,
    responseNonce,
    opaqueData,
    signedBytes: bytes.subarray(0, REQUEST_SIZE + offset - HOPPER_SIGNATURE_SIZE),
    signature,
  }
}
