import { chmod, lstat, mkdtemp, readdir, rename, rm } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { ByteReader } from './byte-reader.ts'
import { decompressLayer } from './decompress.ts'
import { RootfsWriter, type DevicePolicy, type UnpackWarning } from './rootfs-writer.ts'
import { TarReader } from './tar-reader.ts'
import { UnpackError } from './unpack-error.ts'

/** One layer to apply: its (decrypted) blob as a stream and the anchors it must match. */
export interface LayerToUnpack {
  /** The plaintext layer media type: OCI/Docker tar, tar+gzip or tar+zstd. */
  mediaType: string
  /** The layer blob bytes (a Node Readable is fine); destroyed early on failure. */
  stream: AsyncIterable<Uint8Array>
  /** The config's `rootfs.diff_ids` entry: `sha256:<hex>` (or sha512) of the uncompressed tar. */
  diffId: string
  /** Settles once the blob is known good (decryption HMAC, blob digest); awaited after the layer's EOF. */
  verified?: Promise<void>
}

export interface UnpackOptions {
  /** Device and fifo entries: default `create` when running as root, else `skip` (with a warning). */
  devices?: DevicePolicy
  /** Apply entry uid/gid; default: when running as root. */
  chown?: boolean
  /** Largest entry accepted (default 64 GiB). */
  maxEntrySize?: number
  onWarning?: (w: UnpackWarning) => void
  signal?: AbortSignal
}

export interface UnpackedLayer {
  diffId: string
  entries: number
  /** Uncompressed tar bytes. */
  bytes: number
}

export interface UnpackResult {
  /** Absolute path of the unpacked rootfs. */
  dest: string
  layers: UnpackedLayer[]
}

const DEFAULT_MAX_ENTRY = 64 * 1024 ** 3
const MAX_METADATA = 1024 * 1024

function parseDiffId(diffId: string): { algorithm: string; hex: string } {
  const m = /^(sha256|sha512):([0-9a-f]+)$/.exec(diffId)
  const hex = m?.[2]
  if (m === null || hex === undefined || hex.length !== (m[1] === 'sha256' ? 64 : 128)) {
    throw new UnpackError(
      'INVALID_OPTION',
      `diff_id ${JSON.stringify(diffId)} is not sha256:<64 hex> or sha512:<128 hex>`,
    )
  }
  return { algorithm: m[1] ?? 'sha256', hex }
}

async function assertDestFree(dest: string): Promise<void> {
  let isDir: boolean
  try {
    isDir = (await lstat(dest)).isDirectory()
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return
    throw new UnpackError('IO_FAILED', `cannot inspect ${dest}`, { cause: e })
  }
  if (!isDir || (await readdir(dest)).length > 0) {
    throw new UnpackError('DEST_EXISTS', `${dest} exists and is not an empty directory`)
  }
}

/** Without root, directories already set read-only (e.g. 0555) block removal of their children. */
async function makeDirsWritable(dir: string): Promise<void> {
  await chmod(dir, 0o700).catch(() => undefined)
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  for (const e of entries) if (e.isDirectory()) await makeDirsWritable(join(dir, e.name))
}

async function removeStaging(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true })
  } catch {
    await makeDirsWritable(dir)
    await rm(dir, { recursive: true, force: true })
  }
}

async function unpackOne(
  layer: LayerToUnpack,
  index: number,
  writer: RootfsWriter,
  opts: UnpackOptions,
): Promise<UnpackedLayer> {
  let input: ByteReader | undefined
  try {
    const { algorithm, hex } = parseDiffId(layer.diffId)
    input = new ByteReader(decompressLayer(layer.mediaType, layer.stream), algorithm)
    const tar = new TarReader(input, {
      maxEntrySize: opts.maxEntrySize ?? DEFAULT_MAX_ENTRY,
      maxMetadataSize: MAX_METADATA,
    })
    writer.startLayer(index)
    let entries = 0
    for (let e = await tar.next(); e !== null; e = await tar.next()) {
      if (opts.signal?.aborted === true) throw new UnpackError('ABORTED', 'unpack aborted', { entry: e.path })
      await writer.apply(e, tar)
      entries++
    }
    await input.drain()
    // The caller's verdict first: a tampered blob is the root cause of any diff_id mismatch.
    if (layer.verified !== undefined) {
      try {
        await layer.verified
      } catch (cause) {
        throw new UnpackError('LAYER_NOT_VERIFIED', `layer failed verification: ${(cause as Error).message}`, { cause })
      }
    }
    const got = input.digestHex()
    if (got !== hex) {
      throw new UnpackError('DIFF_ID_MISMATCH', `uncompressed layer digest ${algorithm}:${got} is not ${layer.diffId}`)
    }
    return { diffId: layer.diffId, entries, bytes: input.position }
  } catch (e) {
    // Stop the producer (decryptor, HTTP body): a Node stream is destroyed by its iterator's return().
    await (input !== undefined ? input.close() : layer.stream[Symbol.asyncIterator]().return?.())?.catch(
      () => undefined,
    )
    if (e instanceof UnpackError) e.layer ??= index
    throw e
  }
}

/**
 * Applies layers in order to a new rootfs at `dest`, atomically: everything is written to a
 * staging directory beside `dest` (`.<name>.unpack-XXXXXX`) which is renamed onto `dest` only
 * after every layer matched its diff_id and its `verified` promise resolved. On any failure the
 * staging directory is removed and `dest` is left as it was. `dest` must not exist or be an
 * empty directory. Errors of our own are `UnpackError`s; an error thrown by a layer stream
 * (decryption, network) is passed through unchanged.
 */
export async function unpackLayers(
  layers: AsyncIterable<LayerToUnpack> | Iterable<LayerToUnpack>,
  dest: string,
  opts: UnpackOptions = {},
): Promise<UnpackResult> {
  const max = opts.maxEntrySize
  if (max !== undefined && (!Number.isSafeInteger(max) || max < 0)) {
    throw new UnpackError('INVALID_OPTION', 'maxEntrySize must be a non-negative safe integer')
  }
  const target = resolve(dest)
  await assertDestFree(target)
  let staging: string
  try {
    staging = await mkdtemp(join(dirname(target), `.${basename(target)}.unpack-`))
  } catch (cause) {
    throw new UnpackError('INVALID_OPTION', `cannot create a staging directory beside ${target}`, { cause })
  }
  const root = process.getuid?.() === 0
  const writer = new RootfsWriter(staging, {
    devices: opts.devices ?? (root ? 'create' : 'skip'),
    chown: opts.chown ?? root,
    onWarning: opts.onWarning ?? (() => undefined),
  })
  try {
    const done: UnpackedLayer[] = []
    for await (const layer of layers) {
      // Awaited in unpackOne; a rejection while an earlier step fails must not go unhandled.
      layer.verified?.catch(() => undefined)
      done.push(await unpackOne(layer, done.length, writer, opts))
    }
    await writer.finish()
    await assertDestFree(target)
    try {
      await rename(staging, target)
    } catch (cause) {
      throw new UnpackError('IO_FAILED', `cannot move the unpacked rootfs to ${target}`, { cause })
    }
    return { dest: target, layers: done }
  } catch (e) {
    await writer.settle().catch(() => undefined)
    await removeStaging(staging)
    throw e
  }
}
