import { LayoutDestination } from '../layout/layout-destination.ts'
import { LayoutSource } from '../layout/layout-source.ts'
import type { ImageReference } from '../reference/image-reference.ts'
import { RegistryDestination, RegistrySource } from '../registry/registry-image.ts'
import type { RegistryClientOptions } from '../registry/registry-client.ts'
import type { ImageDestination, ImageSource } from './image-transport.ts'

export interface OpenImageOptions {
  /** For `docker://` references: TLS, credentials, retries, limits, injected transport. */
  readonly registry?: RegistryClientOptions
  /** For `oci:` sources (the registry's `manifestSizeLimit` applies to registries). */
  readonly manifestSizeLimit?: number
}

/** The ImageSource for a parsed `docker://` or `oci:` reference. */
export function openImageSource(ref: ImageReference, options: OpenImageOptions = {}): ImageSource {
  if (ref.transport === 'docker') return new RegistrySource(ref.ref, options.registry ?? {})
  const limit = options.manifestSizeLimit
  return new LayoutSource(ref.dir, ref.tag, limit === undefined ? {} : { manifestSizeLimit: limit })
}

/** The ImageDestination for a parsed `docker://` or `oci:` reference. */
export function openImageDestination(ref: ImageReference, options: OpenImageOptions = {}): ImageDestination {
  if (ref.transport === 'docker') return new RegistryDestination(ref.ref, options.registry ?? {})
  return new LayoutDestination(ref.dir, ref.tag)
}
