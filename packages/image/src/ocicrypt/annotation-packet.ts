import { createCipheriv, createDecipheriv } from 'node:crypto'
import { decodeBase64Std, encodeBase64Std, goJsonString } from './base64-std.ts'
import { OcicryptError } from './ocicrypt-error.ts'

// CoCo attestation-agent provider annotation (spec §4.5): the privopts JSON wrapped under a KEK that
// the KBS holds at resource `kid`. v1 is what coco_keyprovider writes; v2 adds version/provider fields.

export type PacketWrapType = 'A256GCM' | 'A256CTR'
export const KEK_BYTES = 32
const GCM_IV_BYTES = 12
const CTR_IV_BYTES = 16
const GCM_TAG_BYTES = 16

export interface AnnotationPacket {
  kid: string
  /** A256GCM: ciphertext ‖ 16-byte tag; A256CTR: ciphertext. */
  wrappedData: Buffer
  iv: Buffer
  wrapType: PacketWrapType
  /** v2 only: `kbs` or a KMS name. */
  provider?: string
}

/** v1 JSON in coco_keyprovider's field order. */
export function encodeAnnotationPacket(packet: AnnotationPacket): Buffer {
  return Buffer.from(
    `{"kid":${goJsonString(packet.kid)},"wrapped_data":"${encodeBase64Std(packet.wrappedData)}",` +
      `"iv":"${encodeBase64Std(packet.iv)}","wrap_type":${goJsonString(packet.wrapType)}}`,
  )
}

export function parseAnnotationPacket(bytes: Uint8Array): AnnotationPacket {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'))
  } catch (cause) {
    throw new OcicryptError('MALFORMED_ANNOTATION', 'provider annotation packet is not JSON', { cause })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OcicryptError('MALFORMED_ANNOTATION', 'provider annotation packet is not a JSON object')
  }
  const o = value as Record<string, unknown>
  const { kid, wrapped_data: wrapped, iv, wrap_type: wrapType, provider } = o
  if (typeof kid !== 'string' || kid === '' || typeof wrapped !== 'string' || typeof iv !== 'string') {
    throw new OcicryptError('MALFORMED_ANNOTATION', 'provider annotation packet lacks kid/wrapped_data/iv')
  }
  if (wrapType !== 'A256GCM' && wrapType !== 'A256CTR') {
    throw new OcicryptError('UNSUPPORTED_CIPHER', `provider annotation packet wrap_type ${String(wrapType)}`)
  }
  if (provider !== undefined && typeof provider !== 'string') {
    throw new OcicryptError('MALFORMED_ANNOTATION', 'provider annotation packet provider is not a string')
  }
  const packet: AnnotationPacket = {
    kid,
    wrappedData: decodeBase64Std(wrapped, 'packet wrapped_data'),
    iv: decodeBase64Std(iv, 'packet iv'),
    wrapType,
  }
  if (packet.iv.length !== (wrapType === 'A256GCM' ? GCM_IV_BYTES : CTR_IV_BYTES)) {
    throw new OcicryptError('MALFORMED_ANNOTATION', `packet iv has ${packet.iv.length} bytes for ${wrapType}`)
  }
  if (wrapType === 'A256GCM' && packet.wrappedData.length < GCM_TAG_BYTES) {
    throw new OcicryptError('MALFORMED_ANNOTATION', 'packet wrapped_data is shorter than a GCM tag')
  }
  if (provider !== undefined) packet.provider = provider
  return packet
}

function checkKek(kek: Uint8Array): void {
  if (kek.length !== KEK_BYTES)
    throw new OcicryptError('INVALID_KEY', `KEK must be ${KEK_BYTES} bytes, got ${kek.length}`)
}

/** AES-256-GCM (12-byte iv) of the privopts JSON under the KEK. */
export function sealWithKek(kid: string, kek: Uint8Array, iv: Uint8Array, optsData: Uint8Array): AnnotationPacket {
  checkKek(kek)
  if (iv.length !== GCM_IV_BYTES) throw new OcicryptError('INVALID_OPTION', 'A256GCM packet iv must be 12 bytes')
  const cipher = createCipheriv('aes-256-gcm', kek, iv)
  const sealed = Buffer.concat([cipher.update(optsData), cipher.final(), cipher.getAuthTag()])
  return { kid, wrappedData: sealed, iv: Buffer.from(iv), wrapType: 'A256GCM' }
}

/** The privopts JSON, or `undefined` when the KEK does not authenticate the packet (wrong KEK). */
export function openWithKek(packet: AnnotationPacket, kek: Uint8Array): Buffer | undefined {
  checkKek(kek)
  if (packet.wrapType === 'A256CTR') {
    // unauthenticated by design of the packet; a wrong KEK is caught by the privopts parse and the layer HMAC
    const decipher = createDecipheriv('aes-256-ctr', kek, packet.iv)
    return Buffer.concat([decipher.update(packet.wrappedData), decipher.final()])
  }
  const body = packet.wrappedData.subarray(0, packet.wrappedData.length - GCM_TAG_BYTES)
  const decipher = createDecipheriv('aes-256-gcm', kek, packet.iv)
  decipher.setAuthTag(packet.wrappedData.subarray(body.length))
  try {
    return Buffer.concat([decipher.update(body), decipher.final()])
  } catch {
    return undefined
  }
}
