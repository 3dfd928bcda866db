import { pipeline, Transform, type Readable } from 'node:stream'
import { isSha256Digest } from '../reference/docker-reference.ts'
import { OciError } from '../reference/oci-error.ts'
import { sha256Digest } from '../manifest/digest.ts'
import type { BlobInfo, RawManifest } from '../manifest/image-transport.ts'
import {
  ACCEPTED_MANIFEST_TYPES,
  DOCKER_SCHEMA1,
  DOCKER_SCHEMA1_SIGNED,
  MANIFEST_SIZE_LIMIT,
} from '../manifest/media-types.ts'
import { verifyingStream } from '../manifest/verifying-stream.ts'
import type { HttpResponse } from './http-transport.ts'
import { discard, readLimited, registryErrorText } from './read-body.ts'
import { uploadBlob } from './blob-upload.ts'
import { resumableBody } from './resumable-body.ts'
import { RegistryHttp, type RegistryConnectionOptions } from './registry-http.ts'

export interface RegistryClientOptions extends RegistryConnectionOptions {
  /** Largest manifest or index accepted (default 4 MiB). */
  readonly manifestSizeLimit?: number
  /** Largest blob accepted for download, whatever its descriptor says (default: no limit). */
  readonly blobSizeLimit?: number
  /** Blobs larger than this are uploaded in PATCH chunks of this size (default 8 MiB). */
  readonly uploadChunkSize?: number
}

const MAX_REDIRECTS = 5
const TAG_PAGE_LIMIT = 4 * 1024 * 1024

/** The OCI distribution API of one registry (pull and push), for any repository in it. */
export class RegistryClient {
  readonly http: RegistryHttp
  readonly #manifestLimit: number
  readonly #blobLimit: number
  readonly #chunkSize: number

  constructor(domain: string, options: RegistryClientOptions = {}) {
    this.http = new RegistryHttp(domain, options)
    this.#manifestLimit = options.manifestSizeLimit ?? MANIFEST_SIZE_LIMIT
    this.#blobLimit = options.blobSizeLimit ?? Number.MAX_SAFE_INTEGER
    this.#chunkSize = options.uploadChunkSize ?? 8 * 1024 * 1024
  }

  get domain(): string {
    return this.http.domain
  }

  ping(): Promise<void> {
    return this.http.ping()
  }

  /** A manifest or index by tag or digest; its size is limited and its digest checked. */
  async getManifest(
    repo: string,
    ref: string,
    accept: readonly string[] = ACCEPTED_MANIFEST_TYPES,
  ): Promise<RawManifest> {
    const what = `${this.domain}/${repo} manifest ${ref}`
    const res = await this.http.request({
      method: 'GET',
      path: `/v2/${checkRepo(repo)}/manifests/${checkManifestRef(ref)}`,
      headers: { accept: accept.join(', ') },
      scope: pullScope(repo),
    })
    await this.#expectStatus(res, [200], what)
    const length = Number(res.headers['content-length'])
    if (Number.isFinite(length) && length > this.#manifestLimit) {
      res.body.destroy()
      throw new OciError('TOO_LARGE', `${what} is ${length} bytes, over the ${this.#manifestLimit}-byte manifest limit`)
    }
    const bytes = await readLimited(res.body, this.#manifestLimit, what)
    const digest = sha256Digest(bytes)
    const announced = header(res, 'docker-content-digest')
    if (isSha256Digest(ref) && digest !== ref)
      throw new OciError('DIGEST_MISMATCH', `${what}: content digest is ${digest}`)
    const mediaType = (header(res, 'content-type') ?? '').split(';')[0]?.trim() ?? ''
    // a signed schema 1 manifest's digest leaves its signatures out; parseManifest refuses it anyway
    const schema1 = mediaType === DOCKER_SCHEMA1 || mediaType === DOCKER_SCHEMA1_SIGNED
    if (!schema1 && announced !== undefined && isSha256Digest(announced) && announced !== digest) {
      throw new OciError('DIGEST_MISMATCH', `${what}: registry announced ${announced}, content digest is ${digest}`)
    }
    return { bytes, digest, mediaType }
  }

  /** Whether the repository holds the blob (HEAD). */
  async hasBlob(repo: string, digest: string): Promise<boolean> {
    const res = await this.http.request({
      method: 'HEAD',
      path: `/v2/${checkRepo(repo)}/blobs/${checkDigest(digest)}`,
      scope: pullScope(repo),
    })
    await discard(res.body)
    if (res.status === 200) return true
    if (res.status === 404) return false
    throw new OciError('REGISTRY_ERROR', `${this.domain}/${repo}: HEAD blob ${digest} answered ${res.status}`, {
      status: res.status,
    })
  }

  /** The blob as a stream verified against `blob` (see ImageSource.getBlob); redirects are followed. */
  async getBlob(repo: string, blob: BlobInfo): Promise<Readable> {
    const what = `${this.domain}/${repo} blob ${blob.digest}`
    if (!isSha256Digest(blob.digest)) throw new OciError('INVALID_ARGUMENT', `${what}: not a sha256 digest`)
    if (blob.size > this.#blobLimit)
      throw new OciError('TOO_LARGE', `${what} is ${blob.size} bytes, over the ${this.#blobLimit}-byte limit`)
    const first = await this.#openBlob(repo, blob, 0, what)
    const body = resumableBody(
      first,
      (offset) => this.#openBlob(repo, blob, offset, what),
      this.http.attempts,
      (n) => this.http.backoff(n),
    )
    const verifier = verifyingStream(blob, what)
    pipeline(body, verifier, () => {
      // errors reach the consumer through the verifier
    })
    return verifier
  }

  /** GET of a blob from `offset` on (Range), following redirects; a 200 to a Range request is skipped forward. */
  async #openBlob(repo: string, blob: BlobInfo, offset: number, what: string): Promise<Readable> {
    let path = `/v2/${checkRepo(repo)}/blobs/${checkDigest(blob.digest)}`
    const headers: Record<string, string> = offset > 0 ? { range: `bytes=${offset}-` } : {}
    for (let hop = 0; ; hop++) {
      const res = await this.http.request({ method: 'GET', path, headers, scope: pullScope(repo) })
      const location = header(res, 'location')
      if ([301, 302, 303, 307, 308].includes(res.status) && location !== undefined && hop < MAX_REDIRECTS) {
        await discard(res.body)
        path = new URL(location, new URL(path, await this.http.baseUrl())).href
        continue
      }
      const partial = offset > 0 && res.status === 206
      await this.#expectStatus(res, partial ? [206] : [200], what)
      if (partial && !(header(res, 'content-range') ?? '').startsWith(`bytes ${offset}-`)) {
        res.body.destroy()
        throw new OciError('REGISTRY_ERROR', `${what}: resumed at the wrong offset (${header(res, 'content-range')})`)
      }
      const length = Number(res.headers['content-length'])
      const expected = partial ? blob.size - offset : blob.size
      if (Number.isFinite(length) && length !== expected) {
        res.body.destroy()
        throw new OciError('SIZE_MISMATCH', `${what}: registry sends ${length} bytes, the descriptor says ${blob.size}`)
      }
      if (partial || offset === 0) return res.body
      const skipper = skipBytes(offset)
      pipeline(res.body, skipper, () => {
        // a failure reaches the resuming reader through the skipper
      })
      return skipper
    }
  }

  /** Uploads a blob (monolithic when it fits in one chunk, else chunked PATCHes); see ImageDestination.putBlob. */
  async putBlob(repo: string, content: Readable, expected: Partial<BlobInfo> = {}): Promise<BlobInfo> {
    return uploadBlob(this.http, checkRepo(repo), content, expected, this.#chunkSize)
  }

  /** PUT a manifest under a tag or its digest; returns its digest. */
  async putManifest(
    repo: string,
    ref: string,
    manifest: { readonly bytes: Buffer; readonly mediaType: string },
  ): Promise<string> {
    const digest = sha256Digest(manifest.bytes)
    if (isSha256Digest(ref) && ref !== digest)
      throw new OciError('DIGEST_MISMATCH', `manifest digest ${digest} is not the reference's ${ref}`)
    const what = `${this.domain}/${repo}: PUT manifest ${ref}`
    const res = await this.http.request({
      method: 'PUT',
      path: `/v2/${checkRepo(repo)}/manifests/${checkManifestRef(ref)}`,
      headers: { 'content-type': manifest.mediaType },
      body: manifest.bytes,
      scope: pushScope(repo),
    })
    await this.#expectStatus(res, [201, 200], what)
    await discard(res.body)
    const announced = header(res, 'docker-content-digest')
    if (announced !== undefined && announced !== digest) {
      throw new OciError('DIGEST_MISMATCH', `${what}: registry stored ${announced}, we sent ${digest}`)
    }
    return digest
  }

  /** Every tag of the repository, following `Link: <…>; rel="next"` pagination. */
  async listTags(repo: string): Promise<string[]> {
    const tags: string[] = []
    let path: string | undefined = `/v2/${checkRepo(repo)}/tags/list`
    for (let page = 0; path !== undefined && page < 10_000; page++) {
      const res = await this.http.request({ method: 'GET', path, scope: pullScope(repo) })
      await this.#expectStatus(res, [200], `${this.domain}/${repo}: tag list`)
      const body = await readLimited(res.body, TAG_PAGE_LIMIT, `${this.domain}/${repo} tag list`)
      let doc: { tags?: unknown }
      try {
        doc = JSON.parse(body.toString('utf8')) as { tags?: unknown }
      } catch (e) {
        throw new OciError('REGISTRY_ERROR', `${this.domain}/${repo}: tag list is not JSON`, { cause: e })
      }
      if (doc.tags !== null && doc.tags !== undefined) {
        if (!Array.isArray(doc.tags) || doc.tags.some((t) => typeof t !== 'string')) {
          throw new OciError('REGISTRY_ERROR', `${this.domain}/${repo}: tag list "tags" is not an array of strings`)
        }
        tags.push(...(doc.tags as string[]))
      }
      const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(header(res, 'link') ?? '')?.[1]
      path = next === undefined ? undefined : new URL(next, await this.http.baseUrl()).href
    }
    return tags
  }

  async #expectStatus(res: HttpResponse, ok: readonly number[], what: string): Promise<void> {
    if (ok.includes(res.status)) return
    const text = await registryErrorText(res.body)
    const detail = `${what}: HTTP ${res.status}${text ? ` (${text})` : ''}`
    if (res.status === 404) throw new OciError('NOT_FOUND', detail, { status: 404 })
    if (res.status === 403) throw new OciError('UNAUTHORIZED', detail, { status: 403 })
    throw new OciError('REGISTRY_ERROR', detail, { status: res.status })
  }
}

export function pullScope(repo: string): string {
  return `repository:${repo}:pull`
}

export function pushScope(repo: string): string {
  return `repository:${repo}:pull,push`
}

export function header(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name]
  return Array.isArray(v) ? v[0] : v
}

/** Drops the first `n` bytes (a registry that ignored our Range header resends from the start). */
function skipBytes(n: number): Transform {
  let left = n
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (left >= chunk.length) {
        left -= chunk.length
        callback()
        return
      }
      const rest = chunk.subarray(left)
      left = 0
      callback(null, rest)
    },
  })
}

const REPO_PATH = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/
const TAG = /^[\w][\w.-]{0,127}$/

/** Repository paths go into URLs as they are, so only the docker grammar is let through. */
function checkRepo(repo: string): string {
  if (!REPO_PATH.test(repo)) throw new OciError('INVALID_ARGUMENT', `invalid repository path ${JSON.stringify(repo)}`)
  return repo
}

function checkManifestRef(ref: string): string {
  if (!TAG.test(ref) && !isSha256Digest(ref))
    throw new OciError('INVALID_ARGUMENT', `invalid tag or digest ${JSON.stringify(ref)}`)
  return ref
}

function checkDigest(digest: string): string {
  if (!isSha256Digest(digest)) throw new OciError('INVALID_ARGUMENT', `not a sha256 digest: ${JSON.stringify(digest)}`)
  return digest
}
