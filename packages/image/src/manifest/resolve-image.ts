import { OciError } from '../reference/oci-error.ts'
import type { ImageSource, RawManifest } from './image-transport.ts'
import { parseManifest, type ImageIndex, type ImageManifest, type Platform } from './manifest.ts'
import { currentPlatform, selectPlatform } from './platform.ts'

/** A single-platform image, with the index it was chosen from when there was one. */
export interface ResolvedImage {
  /** The image manifest as fetched; `raw.digest` is what signatures sign. */
  readonly raw: RawManifest
  readonly manifest: ImageManifest
  /** The index (or manifest list) the reference named, if any. */
  readonly index?: { readonly raw: RawManifest; readonly index: ImageIndex }
}

export interface ResolveImageOptions {
  /** Platform to pick from an index (default: linux and this process's architecture). */
  readonly platform?: Platform
}

/**
 * Fetches the manifest the source's reference names and, when it is an index, the entry for the
 * platform. The chosen manifest must have the media type its index entry announces.
 */
export async function resolveImage(source: ImageSource, options: ResolveImageOptions = {}): Promise<ResolvedImage> {
  const top = await source.getManifest()
  const parsed = parseManifest(top.bytes, top.mediaType)
  if (parsed.kind === 'manifest') return { raw: top, manifest: parsed.manifest }
  const entry = selectPlatform(parsed.index, options.platform ?? currentPlatform())
  const raw = await source.getManifest(entry.digest)
  if (raw.bytes.length !== entry.size) {
    throw new OciError(
      'SIZE_MISMATCH',
      `${source.name}: manifest ${entry.digest} is ${raw.bytes.length} bytes, its index entry says ${entry.size}`,
    )
  }
  const child = parseManifest(raw.bytes, entry.mediaType)
  if (child.kind !== 'manifest') {
    throw new OciError(
      'UNSUPPORTED_MEDIA_TYPE',
      `${source.name}: index entry ${entry.digest} is itself an index (nested indexes are not supported)`,
    )
  }
  return {
    raw: { ...raw, mediaType: child.manifest.mediaType },
    manifest: child.manifest,
    index: { raw: top, index: parsed.index },
  }
}
