import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream'
import type {
  BlobInfo,
  ImageDestination,
  ImageSource,
  ManifestTarget,
  RawManifest,
} from '../manifest/image-transport.ts'
import { parseManifest, type Descriptor, type ImageIndex, type ImageManifest } from '../manifest/manifest.ts'
import type { KeyUnwrapper } from '../ocicrypt/key-wrapper.ts'
import { decryptLayer, type DecryptedLayer } from '../ocicrypt/layer-decrypt.ts'
import { isEncryptedMediaType } from '../ocicrypt/media-types.ts'
import { OciError } from '../reference/oci-error.ts'
import { UnpackError } from '../unpack/unpack-error.ts'
import { copyBlob, rewriteManifest, selectedLayers } from './image-rewrite.ts'
import { authenticateLayerBlob } from './layer-spool.ts'
import { PipelineError } from './pipeline-error.ts'
import { silentProgress, type Progress } from './progress.ts'

export interface DecryptImageOptions {
  readonly source: ImageSource
  readonly destination: ImageDestination
  /** Key unwrappers for the encrypted layers (JWE private keys, key providers, the CDH). */
  readonly unwrappers: readonly KeyUnwrapper[]
  /** Layer indexes to decrypt (negative counts from the end); default every encrypted layer. */
  readonly layers?: readonly number[]
  /** Where the top manifest goes (default: the destination reference's tag). */
  readonly target?: ManifestTarget
  readonly progress?: Progress
  /** Stops the copy between chunks of pass 1 and between layers; no manifest is written. */
  readonly signal?: AbortSignal
}

export interface DecryptedImage {
  /** Digest of the manifest (or index) written at the destination. */
  readonly manifestDigest: string
  /** One entry per image manifest: which layers were decrypted, ciphertext → plaintext digests. */
  readonly images: readonly { readonly manifestDigest: string; readonly decrypted: readonly DecryptedLayerInfo[] }[]
}

export interface DecryptedLayerInfo {
  readonly index: number
  /** The encrypted blob's digest at the source. */
  readonly encryptedDigest: string
  /** The decrypted (still compressed) blob's digest at the destination. */
  readonly digest: string
  /** Which key scheme opened it (`jwe`, `provider.attestation-agent`, …). */
  readonly unwrappedBy: string
}

/**
 * What `skopeo copy --decryption-key` does: copies an image from `source` to `destination` with
 * its encrypted layers decrypted. Every layer key is unwrapped first (a missing or wrong key fails
 * before anything is written); each encrypted layer is then authenticated whole (blob digest and
 * HMAC over the ciphertext, pass 1; a registry blob is spooled to a private temporary directory)
 * before its plaintext is streamed to the destination (pass 2), so no unauthenticated byte is ever
 * written. The new descriptor has the media type without `+encrypted`, the decrypted blob's digest
 * and size, and no `org.opencontainers.image.enc*` annotations. The config, and so the diff_ids
 * (which describe the uncompressed tar), are copied unchanged. Manifests (and the index) are
 * written last: a failure leaves no manifest or tag naming the new image, though blobs already
 * stored stay in a layout as unreferenced files (as skopeo leaves them).
 */
export async function decryptImage(options: DecryptImageOptions): Promise<DecryptedImage> {
  const top = await options.source.getManifest()
  const parsed = parseManifest(top.bytes, top.mediaType)
  const spool = options.source.localBlobs === true ? undefined : await makeSpoolDir()
  try {
    if (parsed.kind === 'manifest') {
      const image = await decryptManifest(options, top, parsed.manifest, spool)
      const digest = await options.destination.putManifest(
        { bytes: image.bytes, mediaType: top.mediaType },
        options.target,
      )
      return { manifestDigest: digest, images: [{ manifestDigest: digest, decrypted: image.decrypted }] }
    }
    const images: { manifestDigest: string; decrypted: DecryptedLayerInfo[] }[] = []
    const entries: Descriptor[] = []
    for (const entry of parsed.index.manifests) {
      const raw = await options.source.getManifest(entry.digest)
      const child = parseManifest(raw.bytes, entry.mediaType)
      if (child.kind !== 'manifest') {
        throw new OciError('UNSUPPORTED_MEDIA_TYPE', `${options.source.name}: nested index ${entry.digest}`)
      }
      const image = await decryptManifest(options, raw, child.manifest, spool)
      const digest = await options.destination.putManifest(
        { bytes: image.bytes, mediaType: raw.mediaType },
        { byDigest: true },
      )
      images.push({ manifestDigest: digest, decrypted: image.decrypted })
      entries.push({ ...entry, digest, size: image.bytes.length })
    }
    const bytes = rewriteManifest(top, { manifests: entries } satisfies Partial<ImageIndex>)
    const digest = await options.destination.putManifest({ bytes, mediaType: top.mediaType }, options.target)
    return { manifestDigest: digest, images }
  } finally {
    if (spool !== undefined) await rm(spool, { recursive: true, force: true })
  }
}

async function makeSpoolDir(): Promise<string> {
  try {
    return await mkdtemp(join(tmpdir(), 'carapace-decrypt-'))
  } catch (cause) {
    throw new PipelineError('IO_FAILED', 'cannot create a temporary directory for layer spool files', { cause })
  }
}

async function decryptManifest(
  options: DecryptImageOptions,
  raw: RawManifest,
  manifest: ImageManifest,
  spool: string | undefined,
): Promise<{ bytes: Buffer; decrypted: DecryptedLayerInfo[] }> {
  const { source, destination, signal } = options
  const selected = selectedLayers(options.layers, manifest.layers.length, `${source.name} (${raw.digest})`)
  // every key first: a missing or wrong key must fail before any blob is written
  const opened: (DecryptedLayer | undefined)[] = []
  for (const [i, layer] of manifest.layers.entries()) {
    const wanted = selected.has(i) && isEncryptedMediaType(layer.mediaType)
    opened.push(wanted ? await decryptLayer(layerDescriptor(layer), options.unwrappers) : undefined)
  }
  const layers: Descriptor[] = []
  const decrypted: DecryptedLayerInfo[] = []
  try {
    await copyBlob(source, destination, manifest.config)
    for (const [i, layer] of manifest.layers.entries()) {
      if (signal?.aborted === true) throw new UnpackError('ABORTED', 'decrypt aborted')
      const key = opened[i]
      if (key === undefined) {
        await copyBlob(source, destination, layer)
        layers.push(layer)
        continue
      }
      const label = `layer ${i + 1}/${manifest.layers.length} ${layer.digest.slice(7, 19)}`
      const stored = await decryptBlob(options, layer, key, label, spool)
      layers.push({
        ...withoutAnnotations(layer),
        mediaType: key.mediaType,
        digest: stored.digest,
        size: stored.size,
        ...(key.annotations === undefined ? {} : { annotations: key.annotations }),
      })
      decrypted.push({ index: i, encryptedDigest: layer.digest, digest: stored.digest, unwrappedBy: key.unwrappedBy })
    }
  } catch (error) {
    for (const key of opened) key?.stream.destroy()
    throw error
  }
  const bytes = rewriteManifest(raw, { layers } satisfies Partial<ImageManifest>)
  return { bytes, decrypted }
}

/** Pass 1 (blob digest + HMAC over the whole ciphertext), then pass 2: plaintext to the destination. */
async function decryptBlob(
  options: DecryptImageOptions,
  layer: Descriptor,
  key: DecryptedLayer,
  label: string,
  spool: string | undefined,
): Promise<BlobInfo> {
  const task = (options.progress ?? silentProgress).start(label, layer.size)
  const ciphertext = await authenticateLayerBlob(options.source, layer, key, {
    spoolDir: spool ?? '',
    observe: (chunk) => {
      task.advance(chunk.length)
    },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  })
  task.done()
  try {
    pipeline(await ciphertext.open(), key.stream, () => undefined)
    const stored = await options.destination.putBlob(key.stream)
    // pass 2 checks the HMAC again: the blob must not have changed between the passes
    await key.verified
    return stored
  } finally {
    await ciphertext.remove()
  }
}

function withoutAnnotations(layer: Descriptor): Descriptor {
  const copy: { -readonly [K in keyof Descriptor]: Descriptor[K] } = { ...layer }
  delete copy.annotations
  return copy
}

function layerDescriptor(layer: Descriptor) {
  return {
    mediaType: layer.mediaType,
    digest: layer.digest,
    size: layer.size,
    ...(layer.annotations === undefined ? {} : { annotations: { ...layer.annotations } }),
  }
}
