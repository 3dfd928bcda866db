import type { ImageDestination, ImageSource, ManifestTarget } from './image-transport.ts'
import { parseManifest, type Descriptor, type ParsedManifest } from './manifest.ts'

export interface CopyImageOptions {
  /** Where the top manifest goes (default: the destination reference's tag). */
  readonly target?: ManifestTarget
  /** Blobs copied at the same time (default 3). */
  readonly concurrency?: number
}

/**
 * Copies the manifest the source's reference names, unchanged, with everything it references
 * (for an index: every child manifest and its blobs). Blobs already at the destination are
 * skipped; every blob is verified while it streams. Returns the top manifest's digest.
 */
export async function copyImage(
  source: ImageSource,
  dest: ImageDestination,
  options: CopyImageOptions = {},
): Promise<string> {
  const concurrency = Math.max(1, options.concurrency ?? 3)
  const top = await source.getManifest()
  const parsed = parseManifest(top.bytes, top.mediaType)
  if (parsed.kind === 'index') {
    for (const entry of parsed.index.manifests) {
      const child = await source.getManifest(entry.digest)
      const inner = parseManifest(child.bytes, entry.mediaType)
      if (inner.kind === 'manifest')
        await copyBlobs(source, dest, [inner.manifest.config, ...inner.manifest.layers], concurrency)
      await dest.putManifest({ bytes: child.bytes, mediaType: mediaTypeOf(inner) }, { byDigest: true })
    }
  } else {
    await copyBlobs(source, dest, [parsed.manifest.config, ...parsed.manifest.layers], concurrency)
  }
  return dest.putManifest({ bytes: top.bytes, mediaType: mediaTypeOf(parsed) }, options.target)
}

function mediaTypeOf(parsed: ParsedManifest): string {
  return parsed.kind === 'manifest' ? parsed.manifest.mediaType : parsed.index.mediaType
}

async function copyBlobs(
  source: ImageSource,
  dest: ImageDestination,
  blobs: readonly Descriptor[],
  concurrency: number,
): Promise<void> {
  const queue = [...new Map(blobs.map((b) => [b.digest, b])).values()]
  const worker = async (): Promise<void> => {
    for (let blob = queue.shift(); blob !== undefined; blob = queue.shift()) {
      if (await dest.hasBlob(blob.digest)) continue
      const stream = await source.getBlob(blob)
      try {
        await dest.putBlob(stream, { digest: blob.digest, size: blob.size })
      } catch (e) {
        queue.length = 0 // the other workers stop after their current blob
        throw e
      } finally {
        stream.destroy()
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker))
}
