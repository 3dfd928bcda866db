import type { Readable } from 'node:stream'
import { formatDockerReference, type DockerReference } from '../reference/docker-reference.ts'
import { OciError } from '../reference/oci-error.ts'
import type {
  BlobInfo,
  ImageDestination,
  ImageSource,
  ManifestTarget,
  RawManifest,
} from '../manifest/image-transport.ts'
import { sha256Digest } from '../manifest/digest.ts'
import { RegistryClient, type RegistryClientOptions } from './registry-client.ts'

function clientFor(ref: DockerReference, options: RegistryClientOptions | RegistryClient): RegistryClient {
  return options instanceof RegistryClient ? options : new RegistryClient(ref.domain, options)
}

/** Reads the image `docker://ref` (a tag or digest reference). */
export class RegistrySource implements ImageSource {
  readonly name: string
  readonly client: RegistryClient
  readonly #ref: DockerReference

  /** `options` may be a shared client (its tokens and connections are reused). */
  constructor(ref: DockerReference, options: RegistryClientOptions | RegistryClient = {}) {
    this.#ref = ref
    this.client = clientFor(ref, options)
    this.name = `docker://${formatDockerReference(ref)}`
  }

  getManifest(ref?: string): Promise<RawManifest> {
    const wanted = ref ?? this.#ref.digest ?? this.#ref.tag
    if (wanted === undefined) throw new OciError('INVALID_REFERENCE', `${this.name} names neither a tag nor a digest`)
    return this.client.getManifest(this.#ref.path, wanted)
  }

  getBlob(blob: BlobInfo): Promise<Readable> {
    return this.client.getBlob(this.#ref.path, blob)
  }

  listTags(): Promise<string[]> {
    return this.client.listTags(this.#ref.path)
  }

  async close(): Promise<void> {
    // connections are kept alive by the agent and closed when idle
  }
}

/** Writes an image to `docker://ref`; the manifest goes under the reference's tag by default. */
export class RegistryDestination implements ImageDestination {
  readonly name: string
  readonly client: RegistryClient
  readonly #ref: DockerReference

  constructor(ref: DockerReference, options: RegistryClientOptions | RegistryClient = {}) {
    this.#ref = ref
    this.client = clientFor(ref, options)
    this.name = `docker://${formatDockerReference(ref)}`
  }

  hasBlob(digest: string): Promise<boolean> {
    return this.client.hasBlob(this.#ref.path, digest)
  }

  putBlob(content: Readable, expected?: Partial<BlobInfo>): Promise<BlobInfo> {
    return this.client.putBlob(this.#ref.path, content, expected)
  }

  async putManifest(
    manifest: { readonly bytes: Buffer; readonly mediaType: string },
    target?: ManifestTarget,
  ): Promise<string> {
    const ref =
      target === undefined
        ? (this.#ref.tag ?? this.#ref.digest)
        : 'tag' in target
          ? target.tag
          : sha256Digest(manifest.bytes)
    if (ref === undefined) throw new OciError('INVALID_REFERENCE', `${this.name} names neither a tag nor a digest`)
    return this.client.putManifest(this.#ref.path, ref, manifest)
  }

  async close(): Promise<void> {
    // nothing to commit: the manifest PUT is the commit
  }
}
