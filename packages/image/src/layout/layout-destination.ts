import { createHash, randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { access, mkdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { OciError } from '../reference/oci-error.ts'
import type { BlobInfo, ImageDestination, ManifestTarget } from '../manifest/image-transport.ts'
import type { Descriptor, ImageIndex } from '../manifest/manifest.ts'
import { OCI_INDEX } from '../manifest/media-types.ts'
import { sha256Digest } from '../manifest/digest.ts'
import {
  blobPath,
  INDEX_FILE,
  LAYOUT_VERSION,
  OCI_LAYOUT_FILE,
  readLayoutIndex,
  REF_NAME_ANNOTATION,
  writeFileAtomic,
} from './layout-files.ts'

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}

/**
 * Writes an image into an OCI image layout directory (created when missing). Blobs go through a
 * temporary file and are renamed into place only once their digest and size are right;
 * index.json is replaced atomically, an entry with the same tag being replaced.
 */
export class LayoutDestination implements ImageDestination {
  readonly name: string
  readonly #dir: string
  readonly #tag: string | undefined
  #ready: Promise<void> | undefined
  #indexLock: Promise<unknown> = Promise.resolve()

  constructor(dir: string, tag?: string) {
    this.#dir = dir
    this.#tag = tag
    this.name = `oci:${dir}${tag === undefined ? '' : `:${tag}`}`
  }

  async hasBlob(digest: string): Promise<boolean> {
    return exists(blobPath(this.#dir, digest))
  }

  async putBlob(content: Readable, expected: Partial<BlobInfo> = {}): Promise<BlobInfo> {
    await this.#init()
    const tmp = join(this.#dir, 'blobs', 'sha256', `.tmp-${randomUUID()}`)
    const hash = createHash('sha256')
    let size = 0
    const counter = new Transform({
      transform: (chunk: Buffer, _enc, callback) => {
        size += chunk.length
        if (expected.size !== undefined && size > expected.size) {
          callback(
            new OciError('SIZE_MISMATCH', `${this.name}: blob is longer than the expected ${expected.size} bytes`),
          )
          return
        }
        hash.update(chunk)
        callback(null, chunk)
      },
    })
    try {
      await pipeline(content, counter, createWriteStream(tmp, { flags: 'wx', mode: 0o644 }))
      const digest = `sha256:${hash.digest('hex')}`
      if (expected.size !== undefined && size !== expected.size) {
        throw new OciError('SIZE_MISMATCH', `${this.name}: blob is ${size} bytes, expected ${expected.size}`)
      }
      if (expected.digest !== undefined && digest !== expected.digest) {
        throw new OciError(
          'DIGEST_MISMATCH',
          `${this.name}: blob digest ${digest} is not the expected ${expected.digest}`,
        )
      }
      await rename(tmp, blobPath(this.#dir, digest))
      return { digest, size }
    } catch (e) {
      await rm(tmp, { force: true })
      throw e
    }
  }

  async putManifest(
    manifest: { readonly bytes: Buffer; readonly mediaType: string },
    target?: ManifestTarget,
  ): Promise<string> {
    await this.#init()
    const digest = sha256Digest(manifest.bytes)
    const path = blobPath(this.#dir, digest)
    if (!(await exists(path))) await writeFileAtomic(path, manifest.bytes)
    if (target !== undefined && 'byDigest' in target) return digest
    const tag = target?.tag ?? this.#tag
    const entry: Descriptor = {
      mediaType: manifest.mediaType,
      digest,
      size: manifest.bytes.length,
      ...(tag === undefined ? {} : { annotations: { [REF_NAME_ANNOTATION]: tag } }),
    }
    await this.#updateIndex((index) => {
      const others = index.manifests.filter((d) =>
        tag === undefined
          ? d.digest !== digest || d.annotations?.[REF_NAME_ANNOTATION] !== undefined
          : d.annotations?.[REF_NAME_ANNOTATION] !== tag,
      )
      return { ...index, manifests: [...others, entry] }
    })
    return digest
  }

  async close(): Promise<void> {
    await this.#indexLock
  }

  #init(): Promise<void> {
    this.#ready ??= (async () => {
      await mkdir(join(this.#dir, 'blobs', 'sha256'), { recursive: true })
      const layoutFile = join(this.#dir, OCI_LAYOUT_FILE)
      if (!(await exists(layoutFile)))
        await writeFileAtomic(layoutFile, JSON.stringify({ imageLayoutVersion: LAYOUT_VERSION }))
      const indexFile = join(this.#dir, INDEX_FILE)
      if (!(await exists(indexFile)))
        await writeFileAtomic(indexFile, JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] }))
      await readLayoutIndex(this.#dir)
    })()
    return this.#ready
  }

  /** Read-modify-write of index.json, one at a time within this process. */
  #updateIndex(change: (index: ImageIndex) => ImageIndex): Promise<void> {
    const run = this.#indexLock.then(async () => {
      const next = change(await readLayoutIndex(this.#dir))
      await writeFileAtomic(join(this.#dir, INDEX_FILE), JSON.stringify(next))
    })
    this.#indexLock = run.catch(() => undefined)
    return run
  }
}
