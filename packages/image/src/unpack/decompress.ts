import { pipeline, Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { Decompress } from 'fzstd'
import { UnpackError } from './unpack-error.ts'

export type LayerCompression = 'none' | 'gzip' | 'zstd'

const BASES = new Set([
  'application/vnd.oci.image.layer.v1.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar',
])
const DOCKER: Readonly<Record<string, LayerCompression>> = {
  'application/vnd.docker.image.rootfs.diff.tar.gzip': 'gzip',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip': 'gzip',
  'application/vnd.docker.image.rootfs.diff.tar': 'none',
}

/** zstd window sizes above this are refused: fzstd allocates the whole window up front. */
export const MAX_ZSTD_WINDOW = 64 * 1024 * 1024

/** The compression of a (decrypted) layer media type; UNSUPPORTED_MEDIA_TYPE otherwise. */
export function layerCompression(mediaType: string): LayerCompression {
  const docker = DOCKER[mediaType]
  if (docker !== undefined) return docker
  const [base, ...suffixes] = mediaType.split('+')
  if (base !== undefined && BASES.has(base)) {
    if (suffixes.length === 0) return 'none'
    if (suffixes.length === 1 && (suffixes[0] === 'gzip' || suffixes[0] === 'zstd')) return suffixes[0]
  }
  const hint = mediaType.endsWith('+encrypted') ? ' (decrypt the layer first)' : ''
  throw new UnpackError('UNSUPPORTED_MEDIA_TYPE', `unsupported layer media type ${JSON.stringify(mediaType)}${hint}`)
}

/** Passes chunks through and remembers a failure of the source itself (decryptor, network). */
function watched(source: AsyncIterable<Uint8Array>, failed: { error?: unknown }): AsyncIterable<Uint8Array> {
  return (async function* () {
    try {
      yield* source
    } catch (e) {
      failed.error = e
      throw e
    }
  })()
}

async function* gunzip(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  // 256 KiB output chunks: ~1.5x the throughput of the 16 KiB default (measured 350 vs 230 MiB/s
  // at 128 KiB), and 256 KiB needs ~10 % less CPU than 128 KiB on the 256 MiB pull benchmark
  // (fewer buffers for the GC, fewer pool round trips). A larger readable highWaterMark is slower:
  // the async iterator then concatenates (copies) the buffered chunks.
  const z = createGunzip({ chunkSize: 256 * 1024 })
  const failed: { error?: unknown } = {}
  const done = (): void => {
    // errors surface through the iteration below (pipeline destroys `z` with them)
  }
  if (source instanceof Readable) {
    // Piped, not iterated: a stream's async iterator concatenates (copies) whatever it has
    // buffered, e.g. the decryptor's held-back tail and the next megabyte, on every read.
    source.once('error', (e: unknown) => {
      // The gunzip's own failure comes back here as pipeline destroys the source with it.
      if (e !== z.errored) failed.error ??= e
    })
    pipeline(source, z, done)
  } else {
    pipeline(watched(source, failed), z, done)
  }
  try {
    for await (const chunk of z) yield chunk as Buffer
  } catch (cause) {
    if (failed.error !== undefined) throw failed.error as Error
    throw new UnpackError('DECOMPRESS_FAILED', `gzip: ${(cause as Error).message}`, { cause })
  }
}

/** Window size from a zstd frame header, or undefined when the bytes are not a zstd frame start. */
function zstdWindow(head: Buffer): number | undefined {
  if (head.length < 6 || head.readUInt32LE(0) !== 0xfd2fb528) return undefined
  const flags = head[4] ?? 0
  const singleSegment = (flags & 0x20) !== 0
  if (!singleSegment) {
    const wd = head[5] ?? 0
    const base = 2 ** (10 + (wd >> 3))
    return base + (base / 8) * (wd & 7)
  }
  // Single-segment frames size their window to the content size (fcs field).
  const fcsFlag = flags >> 6
  const dictBytes = [0, 1, 2, 4][flags & 3] ?? 0
  const at = 5 + dictBytes
  if (fcsFlag === 0) return head[at]
  if (fcsFlag === 1) return head.length >= at + 2 ? head.readUInt16LE(at) + 256 : undefined
  if (fcsFlag === 2) return head.length >= at + 4 ? head.readUInt32LE(at) : undefined
  return head.length >= at + 8 ? Number(head.readBigUInt64LE(at)) : undefined
}

/** Compressed bytes per fzstd push: at most ~32 MiB of output per push (measured ~14% slower than 64 KiB). */
const ZSTD_SLICE = 1024

function zstdPush(d: Decompress, chunk: Uint8Array, final: boolean): void {
  try {
    d.push(chunk, final)
  } catch (cause) {
    throw new UnpackError('DECOMPRESS_FAILED', `zstd: ${(cause as Error).message}`, { cause })
  }
}

async function* unzstd(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const out: Buffer[] = []
  const d = new Decompress((data) => {
    if (data.length > 0) out.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength))
  })
  let checked = false
  let head = Buffer.alloc(0)
  for await (let chunk of source) {
    if (!checked) {
      head = Buffer.concat([head, chunk])
      if (head.length < 18) continue
      const w = zstdWindow(head)
      if (w !== undefined && w > MAX_ZSTD_WINDOW) {
        throw new UnpackError('DECOMPRESS_FAILED', `zstd window of ${w} bytes exceeds ${MAX_ZSTD_WINDOW}`)
      }
      checked = true
      chunk = head
    }
    // Small input slices bound what one push can expand to (a 4-byte RLE block is 128 KiB).
    for (let i = 0; i < chunk.length; i += ZSTD_SLICE) {
      zstdPush(d, chunk.subarray(i, i + ZSTD_SLICE), false)
      while (out.length > 0) yield out.shift() as Buffer
    }
  }
  zstdPush(d, checked ? new Uint8Array(0) : head, true)
  while (out.length > 0) yield out.shift() as Buffer
}

/** The uncompressed tar stream of a layer blob. */
export function decompressLayer(mediaType: string, source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const c = layerCompression(mediaType)
  if (c === 'gzip') return gunzip(source)
  if (c === 'zstd') return unzstd(source)
  return source
}
