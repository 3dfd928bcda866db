import { pipeline } from 'node:stream'
import type { RandomBytes } from './kbs-recipient.ts'
import type { ImageDestination, ImageSource, ManifestTarget, RawManifest } from '../manifest/image-transport.ts'
import { parseManifest, type Descriptor, type ImageIndex, type ImageManifest } from '../manifest/manifest.ts'
import { DOCKER_CONFIG, OCI_CONFIG, OCI_INDEX, OCI_MANIFEST } from '../manifest/media-types.ts'
import type { KeyWrapper } from '../ocicrypt/key-wrapper.ts'
import type { LayerDescriptor } from '../ocicrypt/layer-descriptor.ts'
import { encryptLayer } from '../ocicrypt/layer-encrypt.ts'
import { OciError } from '../reference/oci-error.ts'
import { copyBlob, rewriteManifest, selectedLayers } from './image-rewrite.ts'
import { PipelineError } from './pipeline-error.ts'
import { countingStream, silentProgress, type Progress } from './progress.ts'

export interface EncryptImageOptions {
  readonly source: ImageSource
  readonly destination: ImageDestination
  /** Recipients: JWE keys, key providers, the CoCo KBS packet; every selected layer is wrapped for all. */
  readonly wrappers: readonly KeyWrapper[]
  /** Layer indexes to encrypt (negative counts from the end, as ocicrypt's); default every layer. */
  readonly layers?: readonly number[]
  /** Where the top manifest goes (default: the destination reference's tag). */
  readonly target?: ManifestTarget
  readonly progress?: Progress
  readonly randomBytes?: RandomBytes
}

export interface EncryptedImage {
  /** Digest of the manifest (or index) written at the destination. */
  readonly manifestDigest: string
  /** One entry per image manifest: which layers were encrypted, plaintext → ciphertext digests. */
  readonly images: readonly { readonly manifestDigest: string; readonly encrypted: readonly EncryptedLayerInfo[] }[]
}

export interface EncryptedLayerInfo {
  readonly index: number
  readonly plainDigest: string
  readonly digest: string
}

type LayerDesc = LayerDescriptor & Omit<Descriptor, keyof LayerDescriptor>

/** Docker schema2 types have no `+encrypted` form: encrypted images are OCI (containers/image converts too). */
const DOCKER_TO_OCI_LAYER: Readonly<Record<string, string>> = {
  'application/vnd.docker.image.rootfs.diff.tar.gzip': 'application/vnd.oci.image.layer.v1.tar+gzip',
  'application/vnd.docker.image.rootfs.diff.tar': 'application/vnd.oci.image.layer.v1.tar',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip':
    'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
}

/**
 * Streams an image from `source` to `destination`, encrypting the selected layers (source blob →
 * AES-256-CTR + HMAC → destination blob, never held in memory) and rewriting the manifests (and
 * index) as OCI with `+encrypted` media types and ocicrypt annotations. The config, and so the
 * diff_ids, are unchanged. Manifests are written only after all their blobs: a failure leaves no
 * manifest naming the new image (unreferenced blobs may remain in a layout).
 */
export async function encryptImage(options: EncryptImageOptions): Promise<EncryptedImage> {
  if (options.wrappers.length === 0) throw new PipelineError('INVALID_ARGUMENT', 'no recipient to encrypt for')
  const top = await options.source.getManifest()
  const parsed = parseManifest(top.bytes, top.mediaType)
  if (parsed.kind === 'manifest') {
    const image = await encryptManifest(options, top, parsed.manifest)
    const digest = await options.destination.putManifest(
      { bytes: image.bytes, mediaType: OCI_MANIFEST },
      options.target,
    )
    return { manifestDigest: digest, images: [{ manifestDigest: digest, encrypted: image.encrypted }] }
  }
  const images: { manifestDigest: string; encrypted: EncryptedLayerInfo[] }[] = []
  const entries: Descriptor[] = []
  for (const entry of parsed.index.manifests) {
    const raw = await options.source.getManifest(entry.digest)
    const child = parseManifest(raw.bytes, entry.mediaType)
    if (child.kind !== 'manifest') {
      throw new OciError('UNSUPPORTED_MEDIA_TYPE', `${options.source.name}: nested index ${entry.digest}`)
    }
    const image = await encryptManifest(options, raw, child.manifest)
    const digest = await options.destination.putManifest(
      { bytes: image.bytes, mediaType: OCI_MANIFEST },
      { byDigest: true },
    )
    images.push({ manifestDigest: digest, encrypted: image.encrypted })
    entries.push({ ...entry, mediaType: OCI_MANIFEST, digest, size: image.bytes.length })
  }
  const bytes = rewriteManifest(top, { mediaType: OCI_INDEX, manifests: entries } satisfies Partial<ImageIndex>)
  const digest = await options.destination.putManifest({ bytes, mediaType: OCI_INDEX }, options.target)
  return { manifestDigest: digest, images }
}

async function encryptManifest(
  options: EncryptImageOptions,
  raw: RawManifest,
  manifest: ImageManifest,
): Promise<{ bytes: Buffer; encrypted: EncryptedLayerInfo[] }> {
  const { source, destination } = options
  const selected = selectedLayers(options.layers, manifest.layers.length, `${source.name} (${raw.digest})`)
  const progress = options.progress ?? silentProgress
  const configType = manifest.config.mediaType === DOCKER_CONFIG ? OCI_CONFIG : manifest.config.mediaType
  await copyBlob(source, destination, manifest.config)
  const layers: Descriptor[] = []
  const encrypted: EncryptedLayerInfo[] = []
  for (const [i, layer] of manifest.layers.entries()) {
    const plain: LayerDesc = { ...layer, mediaType: DOCKER_TO_OCI_LAYER[layer.mediaType] ?? layer.mediaType }
    if (!selected.has(i)) {
      await copyBlob(source, destination, layer)
      layers.push(plain)
      continue
    }
    const task = progress.start(`layer ${i + 1}/${manifest.layers.length} ${layer.digest.slice(7, 19)}`, layer.size)
    const counted = countingStream(task)
    // pipeline, not pipe: a source failure (digest mismatch) must reach the cipher and the upload
    pipeline(await source.getBlob(layer), counted, () => undefined)
    const sealed = await encryptLayer(
      counted,
      plain,
      options.wrappers,
      options.randomBytes === undefined ? {} : { randomBytes: options.randomBytes },
    )
    const stored = await destination.putBlob(sealed.stream)
    const descriptor = await sealed.finalize()
    if (stored.digest !== descriptor.digest || stored.size !== descriptor.size) {
      throw new OciError('DIGEST_MISMATCH', `${destination.name}: stored ciphertext differs from what was encrypted`)
    }
    task.done()
    layers.push(descriptor)
    encrypted.push({ index: i, plainDigest: layer.digest, digest: descriptor.digest })
  }
  const bytes = rewriteManifest(raw, {
    mediaType: OCI_MANIFEST,
    config: { ...manifest.config, mediaType: configType },
    layers,
  } satisfies Partial<ImageManifest>)
  return { bytes, encrypted }
}
