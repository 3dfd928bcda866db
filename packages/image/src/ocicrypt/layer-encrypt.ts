import { randomBytes as nodeRandomBytes } from 'node:crypto'
import { pipeline } from 'node:stream'
import type { Readable } from 'node:stream'
import { PUBOPTS_ANNOTATION, joinKeyEntries, keysAnnotation } from './annotations.ts'
import { encodeBase64Std } from './base64-std.ts'
import type { KeyWrapper } from './key-wrapper.ts'
import { LayerEncryptStream } from './layer-cipher.ts'
import type { LayerDescriptor } from './layer-descriptor.ts'
import { LAYER_CIPHER, NONCE_BYTES, SYMKEY_BYTES, encodePrivateOptions, encodePublicOptions } from './layer-options.ts'
import { encryptedMediaType } from './media-types.ts'
import { OcicryptError } from './ocicrypt-error.ts'

export interface EncryptLayerOptions {
  /** Source of the 32-byte layer key and 16-byte nonce (tests inject fixed bytes). */
  randomBytes?: (size: number) => Uint8Array
}

export interface EncryptedLayer<D extends LayerDescriptor> {
  /** The ciphertext; read it to the end (e.g. into a blob writer) before calling `finalize`. */
  stream: Readable
  /**
   * After the stream ended: the encrypted descriptor (`+encrypted` media type, digest and size of
   * the ciphertext, pubopts and `keys.*` annotations added). Rejects if the stream failed.
   */
  finalize(): Promise<D>
}

/**
 * Encrypts one layer blob (as stored: gzip/zstd/plain tar) with AES_256_CTR_HMAC_SHA256. The keys are
 * wrapped before any byte is read, so a failing recipient (provider down, bad key) costs no I/O.
 * Several wrappers with the same scheme share one annotation as a comma-separated list.
 */
export async function encryptLayer<D extends LayerDescriptor>(
  plain: Readable,
  descriptor: D,
  wrappers: readonly KeyWrapper[],
  options: EncryptLayerOptions = {},
): Promise<EncryptedLayer<D>> {
  const mediaType = encryptedMediaType(descriptor.mediaType)
  const random = options.randomBytes ?? nodeRandomBytes
  const symkey = Buffer.from(random(SYMKEY_BYTES))
  const nonce = Buffer.from(random(NONCE_BYTES))
  const optsData = encodePrivateOptions({ symkey, digest: descriptor.digest, nonce })

  let entries: Map<string, Uint8Array[]>
  try {
    entries = await wrapAll(wrappers, optsData)
  } catch (error) {
    plain.destroy()
    throw error
  }

  const cipher = new LayerEncryptStream({ symkey, nonce })
  pipeline(plain, cipher, () => {
    // failures surface through finalize() (cipher.result) and the consumer's own pipeline
  })
  return {
    stream: cipher,
    async finalize(): Promise<D> {
      const { hmac, digest, size } = await cipher.result
      const added: Record<string, string> = {}
      for (const [scheme, list] of [...entries].sort(([a], [b]) => (a < b ? -1 : 1))) {
        added[keysAnnotation(scheme)] = joinKeyEntries(list)
      }
      added[PUBOPTS_ANNOTATION] = encodeBase64Std(encodePublicOptions({ cipher: LAYER_CIPHER, hmac }))
      return { ...descriptor, mediaType, digest, size, annotations: { ...descriptor.annotations, ...added } }
    },
  }
}

async function wrapAll(wrappers: readonly KeyWrapper[], optsData: Buffer): Promise<Map<string, Uint8Array[]>> {
  const entries = new Map<string, Uint8Array[]>()
  for (const wrapper of wrappers) {
    const wrapped = await wrapper.wrapKey(optsData)
    if (wrapped === undefined || wrapped.length === 0) continue
    const list = entries.get(wrapper.scheme) ?? []
    list.push(wrapped)
    entries.set(wrapper.scheme, list)
  }
  if (entries.size === 0) throw new OcicryptError('NO_WRAPPED_KEYS', 'no wrapped keys produced by encryption')
  return entries
}
