import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream'
import { isSha256Digest } from '../reference/docker-reference.ts'
import { OciError } from '../reference/oci-error.ts'
import type { BlobInfo, ImageSource, RawManifest } from '../manifest/image-transport.ts'
import type { Descriptor } from '../manifest/manifest.ts'
import { MANIFEST_SIZE_LIMIT } from '../manifest/media-types.ts'
import { sha256Digest } from '../manifest/digest.ts'
import { verifyingStream } from '../manifest/verifying-stream.ts'
import { blobPath, readLayoutIndex, REF_NAME_ANNOTATION } from './layout-files.ts'

export interface LayoutSourceOptions {
  /** Largest manifest or index accepted (default 4 MiB). */
  readonly manifestSizeLimit?: number
}

/** Reads an image from an OCI image layout directory (`oci:DIR[:TAG]`). */
export class LayoutSource implements ImageSource {
  readonly name: string
  readonly localBlobs = true
  readonly #dir: string
  readonly #tag: string | undefined
  readonly #limit: number

  constructor(dir: string, tag?: string, options: LayoutSourceOptions = {}) {
    this.#dir = dir
    this.#tag = tag
    this.#limit = options.manifestSizeLimit ?? MANIFEST_SIZE_LIMIT
    this.name = `oci:${dir}${tag === undefined ? '' : `:${tag}`}`
  }

  async getManifest(ref?: string): Promise<RawManifest> {
    if (ref !== undefined && isSha256Digest(ref)) {
      const index = await readLayoutIndex(this.#dir)
      const entry = index.manifests.find((d) => d.digest === ref)
      return this.#readManifest(ref, entry?.mediaType, entry?.size)
    }
    const entry = await this.#findEntry(ref ?? this.#tag)
    return this.#readManifest(entry.digest, entry.mediaType, entry.size)
  }

  async getBlob(blob: BlobInfo): Promise<Readable> {
    const path = blobPath(this.#dir, blob.digest)
    const fh = await open(path, 'r').catch((e: unknown) => {
      throw this.#openError(e, blob.digest)
    })
    const verifier = verifyingStream(blob, `${this.name}: blob ${blob.digest}`)
    pipeline(createReadStream('', { fd: fh, highWaterMark: 1 << 20 }), verifier, () => {
      // errors reach the consumer through the verifier, which pipeline destroys with them
    })
    return verifier
  }

  async listTags(): Promise<string[]> {
    const index = await readLayoutIndex(this.#dir)
    return index.manifests.flatMap((d) => {
      const name = d.annotations?.[REF_NAME_ANNOTATION]
      return name === undefined ? [] : [name]
    })
  }

  async close(): Promise<void> {
    // nothing held open between calls
  }

  async #findEntry(tag: string | undefined): Promise<Descriptor> {
    const index = await readLayoutIndex(this.#dir)
    if (tag === undefined) {
      const only = index.manifests[0]
      if (index.manifests.length !== 1 || only === undefined) {
        throw new OciError(
          'INVALID_ARGUMENT',
          `${this.name}: the layout holds ${index.manifests.length} images; name one with oci:DIR:TAG`,
        )
      }
      return only
    }
    const matches = index.manifests.filter((d) => d.annotations?.[REF_NAME_ANNOTATION] === tag)
    const match = matches[0]
    if (match === undefined)
      throw new OciError('NOT_FOUND', `${this.name}: no image tagged ${JSON.stringify(tag)} in the layout`)
    if (matches.length > 1)
      throw new OciError('INVALID_LAYOUT', `${this.name}: several images are tagged ${JSON.stringify(tag)}`)
    return match
  }

  async #readManifest(digest: string, mediaType: string | undefined, size: number | undefined): Promise<RawManifest> {
    const path = blobPath(this.#dir, digest)
    const fh = await open(path, 'r').catch((e: unknown) => {
      throw this.#openError(e, digest)
    })
    let bytes: Buffer
    try {
      const { size: actual } = await fh.stat()
      if (actual > this.#limit) {
        throw new OciError(
          'TOO_LARGE',
          `${this.name}: manifest ${digest} is ${actual} bytes, over the ${this.#limit}-byte limit`,
        )
      }
      bytes = await fh.readFile()
    } finally {
      await fh.close()
    }
    if (size !== undefined && bytes.length !== size) {
      throw new OciError(
        'SIZE_MISMATCH',
        `${this.name}: manifest ${digest} is ${bytes.length} bytes, index.json says ${size}`,
      )
    }
    const actualDigest = sha256Digest(bytes)
    if (actualDigest !== digest) {
      throw new OciError('DIGEST_MISMATCH', `${this.name}: manifest content digest ${actualDigest} is not ${digest}`)
    }
    return { bytes, digest, mediaType: mediaType ?? mediaTypeOf(bytes) }
  }

  #openError(e: unknown, digest: string): OciError {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      return new OciError('NOT_FOUND', `${this.name}: blob ${digest} is not in the layout`)
    return new OciError('INVALID_LAYOUT', `${this.name}: cannot read blob ${digest}: ${(e as Error).message}`, {
      cause: e,
    })
  }
}

/** The `mediaType` member of a manifest read by digest alone; parseManifest checks it later. */
function mediaTypeOf(bytes: Buffer): string {
  try {
    const doc = JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown }
    return typeof doc.mediaType === 'string' ? doc.mediaType : ''
  } catch {
    return ''
  }
}
