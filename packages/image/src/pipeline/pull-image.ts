import { randomBytes } from 'node:crypto'
import { lstat, mkdir, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { finished } from 'node:stream/promises'
import { pipeline } from 'node:stream'
import type { ImageSource } from '../manifest/image-transport.ts'
import type { Descriptor, Platform } from '../manifest/manifest.ts'
import { resolveImage } from '../manifest/resolve-image.ts'
import { decryptLayer, type DecryptedLayer } from '../ocicrypt/layer-decrypt.ts'
import type { KeyUnwrapper } from '../ocicrypt/key-wrapper.ts'
import { isEncryptedMediaType } from '../ocicrypt/media-types.ts'
import type { ImageReference } from '../reference/image-reference.ts'
import { evaluatePolicy, type PolicyContext, type PolicyDecision } from '../signature/policy-evaluate.ts'
import { layerCompression } from '../unpack/decompress.ts'
import { unpackLayers, type LayerToUnpack, type UnpackOptions } from '../unpack/unpack-layers.ts'
import { readImageConfig } from './image-config.ts'
import { authenticateLayerBlob } from './layer-spool.ts'
import { PipelineError } from './pipeline-error.ts'
import { countingStream, silentProgress, type Progress } from './progress.ts'

export interface PullImageOptions {
  /** Where the image is read from (`openImageSource`). */
  readonly source: ImageSource
  /** The reference the user named: selects the policy scope; signatures must match its identity. */
  readonly reference: ImageReference
  /** The directory to create: `rootfs/`, `config.json`, `manifest.json`. Must not exist (or be empty). */
  readonly dest: string
  /** The signature policy, evaluated before any layer is fetched. */
  readonly policy: PolicyContext
  /** Key unwrappers for encrypted layers (JWE private keys, the CDH for provider packets). */
  readonly unwrappers: readonly KeyUnwrapper[]
  /** Platform picked from an index (default: linux and this process's architecture). */
  readonly platform?: Platform
  readonly unpack?: Omit<UnpackOptions, 'signal'>
  readonly progress?: Progress
  /** Stops the pull (e.g. on SIGINT); the staging directory is removed as on any failure. */
  readonly signal?: AbortSignal
}

export interface PulledLayer {
  /** Digest of the blob as stored (the ciphertext for encrypted layers). */
  readonly digest: string
  readonly diffId: string
  /** Which key scheme opened it (`jwe`, `provider.attestation-agent`); absent for plain layers. */
  readonly unwrappedBy?: string
}

export interface PullResult {
  readonly dest: string
  /** Digest of the manifest the reference named (the index for multi-arch images). */
  readonly manifestDigest: string
  /** Digest of the single-platform image manifest that was unpacked. */
  readonly imageManifestDigest: string
  readonly configDigest: string
  readonly layers: readonly PulledLayer[]
  readonly policy: PolicyDecision
}

/**
 * Pulls an image into `dest`: resolves the manifest (platform), evaluates the signature policy
 * BEFORE any layer is fetched, reads the config, opens every layer key (so a missing key fails
 * before any download), then each layer: an encrypted one is first authenticated whole (pass 1:
 * blob digest and HMAC over the ciphertext; a registry blob spooled to the staging directory) so
 * that no unauthenticated byte is decrypted, then decrypted → decompressed → unpacked (pass 2), the
 * diff_id checked; a plain one is streamed fetch (digest-verified) → decompress → unpack. Everything
 * goes to a staging directory beside `dest` that is renamed onto it only when every layer was
 * verified: on any failure nothing is left.
 */
export async function pullImage(options: PullImageOptions): Promise<PullResult> {
  const target = resolve(options.dest)
  await assertDestFree(target)
  const source = options.source
  const resolved = await resolveImage(source, options.platform === undefined ? {} : { platform: options.platform })
  const top = resolved.index?.raw ?? resolved.raw
  const decision = await evaluatePolicy(options.policy, {
    reference: options.reference,
    source,
    manifest: top,
  })
  const { manifest } = resolved
  const config = await readImageConfig(source, manifest.config)
  if (config.diffIds.length !== manifest.layers.length) {
    throw new PipelineError(
      'INVALID_CONFIG',
      `${source.name}: the config lists ${config.diffIds.length} diff_ids for ${manifest.layers.length} layers`,
    )
  }
  const opened = await openLayers(manifest.layers, options.unwrappers)
  const staging = await makeStaging(target)
  try {
    const progress = options.progress ?? silentProgress
    await unpackLayers(
      layerStreams(source, manifest.layers, config.diffIds, opened, progress, {
        spoolDir: staging,
        signal: options.signal,
      }),
      join(staging, 'rootfs'),
      { ...options.unpack, ...(options.signal === undefined ? {} : { signal: options.signal }) },
    )
    await writeFile(join(staging, 'config.json'), config.bytes, { mode: 0o644 })
    await writeFile(join(staging, 'manifest.json'), resolved.raw.bytes, { mode: 0o644 })
    await commit(staging, target)
  } catch (error) {
    for (const layer of opened) layer?.stream.destroy()
    await rm(staging, { recursive: true, force: true })
    throw error
  }
  return {
    dest: target,
    manifestDigest: top.digest,
    imageManifestDigest: resolved.raw.digest,
    configDigest: manifest.config.digest,
    layers: manifest.layers.map((layer, i) => {
      const by = opened[i]?.unwrappedBy
      return { digest: layer.digest, diffId: config.diffIds[i] ?? '', ...(by === undefined ? {} : { unwrappedBy: by }) }
    }),
    policy: decision,
  }
}

/** Checks every media type and unwraps every layer key up front; `undefined` for plain layers. */
async function openLayers(
  layers: readonly Descriptor[],
  unwrappers: readonly KeyUnwrapper[],
): Promise<(DecryptedLayer | undefined)[]> {
  const opened: (DecryptedLayer | undefined)[] = []
  for (const layer of layers) {
    if (!isEncryptedMediaType(layer.mediaType)) {
      layerCompression(layer.mediaType)
      opened.push(undefined)
      continue
    }
    const decrypted = await decryptLayer(
      { mediaType: layer.mediaType, digest: layer.digest, size: layer.size, ...annotationsOf(layer) },
      unwrappers,
    )
    layerCompression(decrypted.mediaType)
    opened.push(decrypted)
  }
  return opened
}

function annotationsOf(layer: Descriptor): { annotations?: Record<string, string> } {
  return layer.annotations === undefined ? {} : { annotations: { ...layer.annotations } }
}

async function* layerStreams(
  source: ImageSource,
  layers: readonly Descriptor[],
  diffIds: readonly string[],
  opened: readonly (DecryptedLayer | undefined)[],
  progress: Progress,
  pass1: { readonly spoolDir: string; readonly signal: AbortSignal | undefined },
): AsyncGenerator<LayerToUnpack> {
  for (const [i, layer] of layers.entries()) {
    const task = progress.start(`layer ${i + 1}/${layers.length} ${layer.digest.slice(7, 19)}`, layer.size)
    const decrypted = opened[i]
    if (decrypted !== undefined) {
      const ciphertext = await authenticateLayerBlob(source, layer, decrypted, {
        spoolDir: pass1.spoolDir,
        observe: (chunk) => {
          task.advance(chunk.length)
        },
        ...(pass1.signal === undefined ? {} : { signal: pass1.signal }),
      })
      task.done()
      try {
        pipeline(await ciphertext.open(), decrypted.stream, () => undefined)
        yield {
          mediaType: decrypted.mediaType,
          stream: decrypted.stream,
          diffId: diffIds[i] ?? '',
          verified: decrypted.verified,
        }
      } finally {
        await ciphertext.remove()
      }
      continue
    }
    const blob = await source.getBlob(layer)
    const counted = countingStream(task)
    const fetched = finished(blob).then(() => {
      task.done()
    })
    fetched.catch(() => undefined)
    pipeline(blob, counted, () => undefined)
    yield { mediaType: layer.mediaType, stream: counted, diffId: diffIds[i] ?? '', verified: fetched }
  }
}

async function assertDestFree(target: string): Promise<void> {
  let isDir: boolean
  try {
    isDir = (await lstat(target)).isDirectory()
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return
    throw new PipelineError('IO_FAILED', `cannot inspect ${target}`, { cause: e })
  }
  if (!isDir || (await readdir(target)).length > 0) {
    throw new PipelineError('DEST_EXISTS', `${target} exists and is not an empty directory`)
  }
}

async function makeStaging(target: string): Promise<string> {
  const staging = join(dirname(target), `.${basename(target)}.pull-${randomBytes(6).toString('hex')}`)
  try {
    await mkdir(dirname(target), { recursive: true })
    await mkdir(staging, { mode: 0o700 })
  } catch (cause) {
    throw new PipelineError('IO_FAILED', `cannot create a staging directory beside ${target}`, { cause })
  }
  return staging
}

async function commit(staging: string, target: string): Promise<void> {
  await assertDestFree(target)
  try {
    await rmdir(target).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
    })
    await rename(staging, target)
  } catch (cause) {
    throw new PipelineError('IO_FAILED', `cannot move the pulled image to ${target}`, { cause })
  }
}
