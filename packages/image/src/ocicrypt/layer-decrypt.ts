import type { Transform } from 'node:stream'
import {
  PUBOPTS_ANNOTATION,
  splitKeyEntries,
  withoutEncryptionAnnotations,
  wrappedKeyAnnotations,
} from './annotations.ts'
import { decodeBase64Std } from './base64-std.ts'
import { authenticateLayer } from './layer-authenticate.ts'
import type { KeyUnwrapper } from './key-wrapper.ts'
import { LayerDecryptStream } from './layer-cipher.ts'
import type { LayerDecryptOptions } from './layer-cipher.ts'
import type { LayerDescriptor } from './layer-descriptor.ts'
import { parsePrivateOptions, parsePublicOptions } from './layer-options.ts'
import type { PrivateLayerOptions } from './layer-options.ts'
import { decryptedMediaType } from './media-types.ts'
import { OcicryptError } from './ocicrypt-error.ts'

export interface DecryptedLayer {
  /** Pipe the ciphertext in, plaintext comes out; errors with HMAC_MISMATCH at the end on tampering. */
  stream: Transform
  /** Resolves once the whole ciphertext was read and its HMAC matched. Commit nothing before. */
  verified: Promise<void>
  /**
   * Pass 1 of a verify-first pull: HMAC_MISMATCH unless `ciphertext` (read to its end, nothing
   * decrypted) authenticates with this layer's key. Feed `stream` only after it resolved.
   */
  authenticate(ciphertext: AsyncIterable<Uint8Array>): Promise<number>
  /** Media type without `+encrypted` (compression is read from it). */
  mediaType: string
  /** Annotations with every `org.opencontainers.image.enc*` key removed; `undefined` if none remain. */
  annotations: Record<string, string> | undefined
  /** `privopts.digest`: the source descriptor's digest at encryption time. Informational, never a check. */
  sourceDigest: string
  /** Which annotation scheme opened the layer (`jwe`, `provider.attestation-agent`, …). */
  unwrappedBy: string
}

/**
 * Unwraps the layer key (every `keys.*` annotation × every comma entry × every matching unwrapper;
 * the first success wins; order does not matter) and returns the decrypt stream.
 */
export async function decryptLayer(
  descriptor: LayerDescriptor,
  unwrappers: readonly KeyUnwrapper[],
  options: LayerDecryptOptions = {},
): Promise<DecryptedLayer> {
  const mediaType = decryptedMediaType(descriptor.mediaType)
  const pubopts = descriptor.annotations?.[PUBOPTS_ANNOTATION]
  if (pubopts === undefined) {
    throw new OcicryptError('MALFORMED_ANNOTATION', `encrypted layer ${descriptor.digest} has no pubopts annotation`)
  }
  const publicOptions = parsePublicOptions(decodeBase64Std(pubopts, PUBOPTS_ANNOTATION))
  const wrapped = wrappedKeyAnnotations(descriptor.annotations)
  if (wrapped.size === 0) {
    throw new OcicryptError('MALFORMED_ANNOTATION', `encrypted layer ${descriptor.digest} has no wrapped keys`)
  }
  const opened = await unwrapPrivateOptions(descriptor.digest, wrapped, unwrappers)
  const stream = new LayerDecryptStream(opened.options, publicOptions.hmac, options)
  return {
    stream,
    verified: stream.verified,
    authenticate: (ciphertext) =>
      authenticateLayer(ciphertext, { symkey: opened.options.symkey, hmac: publicOptions.hmac }),
    mediaType,
    annotations: withoutEncryptionAnnotations(descriptor.annotations),
    sourceDigest: opened.options.digest,
    unwrappedBy: opened.scheme,
  }
}

async function unwrapPrivateOptions(
  layer: string,
  wrapped: Map<string, string>,
  unwrappers: readonly KeyUnwrapper[],
): Promise<{ options: PrivateLayerOptions; scheme: string }> {
  const failures: OcicryptError[] = []
  let tried = false
  for (const [scheme, value] of wrapped) {
    const mine = unwrappers.filter((u) => u.scheme === scheme)
    if (mine.length === 0) continue
    tried = true
    for (const entry of splitKeyEntries(value, `keys.${scheme}`)) {
      for (const unwrapper of mine) {
        try {
          const optsData = await unwrapper.unwrapKey(entry)
          if (optsData !== undefined) return { options: parsePrivateOptions(optsData), scheme }
        } catch (error) {
          failures.push(
            error instanceof OcicryptError
              ? error
              : new OcicryptError('KEY_UNWRAP_FAILED', `${scheme} unwrapper failed`, { cause: error }),
          )
        }
      }
    }
  }
  const schemes = [...wrapped.keys()].join(', ')
  if (!tried) {
    throw new OcicryptError(
      'NO_KEY_FOR_LAYER',
      `missing private key needed for decryption of ${layer} (wrapped for ${schemes})`,
    )
  }
  if (failures.length === 0) {
    throw new OcicryptError('WRONG_KEY', `none of the given keys could decrypt ${layer} (wrapped for ${schemes})`)
  }
  const codes = new Set(failures.map((f) => f.code))
  const [first] = failures
  const code = codes.size === 1 && first !== undefined ? first.code : 'KEY_UNWRAP_FAILED'
  throw new OcicryptError(code, `no key could decrypt ${layer}: ${failures.map((f) => f.message).join('; ')}`, {
    cause: failures.length === 1 ? first : new AggregateError(failures),
  })
}
