import { decodeBase64Std, encodeBase64Std, goJsonString } from './base64-std.ts'
import { OcicryptError } from './ocicrypt-error.ts'

/** The only layer cipher ocicrypt defines. */
export const LAYER_CIPHER = 'AES_256_CTR_HMAC_SHA256'
export const SYMKEY_BYTES = 32
export const NONCE_BYTES = 16
export const HMAC_BYTES = 32

/** The secret the key wrappers protect (`PrivateLayerBlockCipherOptions`, "optsdata"). */
export interface PrivateLayerOptions {
  symkey: Buffer
  /** Digest of the descriptor handed to the encryptor; informational only (see spec §2.1), never trusted. */
  digest: string
  nonce: Buffer
}

/** `PublicLayerBlockCipherOptions`, stored base64-encoded in the `pubopts` annotation. */
export interface PublicLayerOptions {
  cipher: string
  hmac: Buffer
}

/** Bytes exactly as Go marshals the struct (field order, padded base64). */
export function encodePrivateOptions(options: PrivateLayerOptions): Buffer {
  return Buffer.from(
    `{"symkey":"${encodeBase64Std(options.symkey)}","digest":${goJsonString(options.digest)},` +
      `"cipheroptions":{"nonce":"${encodeBase64Std(options.nonce)}"}}`,
  )
}

export function encodePublicOptions(options: PublicLayerOptions): Buffer {
  return Buffer.from(
    `{"cipher":${goJsonString(options.cipher)},"hmac":"${encodeBase64Std(options.hmac)}","cipheroptions":{}}`,
  )
}

function parseObject(bytes: Uint8Array, what: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'))
  } catch (cause) {
    throw new OcicryptError('MALFORMED_ANNOTATION', `${what} is not JSON`, { cause })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OcicryptError('MALFORMED_ANNOTATION', `${what} is not a JSON object`)
  }
  return value as Record<string, unknown>
}

function bytesField(value: unknown, what: string, length: number): Buffer {
  if (typeof value !== 'string') throw new OcicryptError('MALFORMED_ANNOTATION', `${what} is missing`)
  const bytes = decodeBase64Std(value, what)
  if (bytes.length !== length) {
    throw new OcicryptError('MALFORMED_ANNOTATION', `${what} has ${bytes.length} bytes, expected ${length}`)
  }
  return bytes
}

export function parsePrivateOptions(bytes: Uint8Array): PrivateLayerOptions {
  const o = parseObject(bytes, 'private layer options')
  const cipherOptions = o['cipheroptions']
  if (typeof cipherOptions !== 'object' || cipherOptions === null || Array.isArray(cipherOptions)) {
    throw new OcicryptError('MALFORMED_ANNOTATION', 'private layer options have no cipheroptions')
  }
  const digest = o['digest'] ?? ''
  if (typeof digest !== 'string') throw new OcicryptError('MALFORMED_ANNOTATION', 'privopts digest is not a string')
  return {
    symkey: bytesField(o['symkey'], 'privopts symkey', SYMKEY_BYTES),
    digest,
    nonce: bytesField((cipherOptions as Record<string, unknown>)['nonce'], 'privopts nonce', NONCE_BYTES),
  }
}

export function parsePublicOptions(bytes: Uint8Array): PublicLayerOptions {
  const o = parseObject(bytes, 'public layer options')
  const cipher = o['cipher']
  if (typeof cipher !== 'string' || cipher === '') {
    throw new OcicryptError('MALFORMED_ANNOTATION', 'pubopts: no cipher type provided')
  }
  if (cipher !== LAYER_CIPHER) throw new OcicryptError('UNSUPPORTED_CIPHER', `unsupported layer cipher ${cipher}`)
  if (o['hmac'] === undefined || o['hmac'] === null) {
    throw new OcicryptError('MALFORMED_ANNOTATION', 'pubopts: HMAC is not provided for decryption')
  }
  return { cipher, hmac: bytesField(o['hmac'], 'pubopts hmac', HMAC_BYTES) }
}
