import { createHash } from 'node:crypto'
import type { Readable } from 'node:stream'
import { OciError } from '../reference/oci-error.ts'
import type { BlobInfo } from '../manifest/image-transport.ts'
import type { HttpResponse } from './http-transport.ts'
import { discard, registryErrorText } from './read-body.ts'
import type { RegistryHttp } from './registry-http.ts'

/**
 * Pushes a blob: POST an upload session, then either one PUT with the whole body (it fitted in
 * one chunk) or PATCHes of `chunkSize` bytes with Content-Range and a final PUT `?digest=`.
 * Memory holds at most about one chunk; every request body is a Buffer, so each is retried on its
 * own. The digest is computed on the way; on a mismatch with `expected`, or any failure, the
 * upload session is cancelled and nothing is committed.
 */
/** `repo` has been checked against the repository grammar by the caller. */
export async function uploadBlob(
  http: RegistryHttp,
  repo: string,
  content: Readable,
  expected: Partial<BlobInfo>,
  chunkSize: number,
): Promise<BlobInfo> {
  const scope = `repository:${repo}:pull,push`
  const what = `${http.domain}/${repo}: blob upload`
  const start = await http.request({ method: 'POST', path: `/v2/${repo}/blobs/uploads/`, scope })
  await expect(start, 202, `${what} start`)
  let location = uploadLocation(start, what)
  const hash = createHash('sha256')
  let size = 0
  let offset = 0
  // one reusable chunk buffer: a PATCH is awaited (retries included) before the buffer is refilled
  const buffer = Buffer.allocUnsafe(chunkSize)
  let filled = 0
  try {
    for await (const data of content) {
      const chunk = data as Buffer
      size += chunk.length
      if (expected.size !== undefined && size > expected.size) {
        throw new OciError('SIZE_MISMATCH', `${what}: blob is longer than the expected ${expected.size} bytes`)
      }
      hash.update(chunk)
      let used = 0
      while (used < chunk.length) {
        const n = chunk.copy(buffer, filled, used)
        used += n
        filled += n
        if (filled < chunkSize) continue
        const res = await http.request({
          method: 'PATCH',
          path: location,
          headers: { 'content-type': 'application/octet-stream', 'content-range': `${offset}-${offset + filled - 1}` },
          body: buffer,
          scope,
        })
        await expect(res, 202, `${what} PATCH at ${offset}`)
        location = uploadLocation(res, what)
        offset += filled
        filled = 0
      }
    }
    const digest = `sha256:${hash.digest('hex')}`
    if (expected.size !== undefined && size !== expected.size) {
      throw new OciError('SIZE_MISMATCH', `${what}: blob is ${size} bytes, expected ${expected.size}`)
    }
    if (expected.digest !== undefined && digest !== expected.digest) {
      throw new OciError('DIGEST_MISMATCH', `${what}: blob digest ${digest} is not the expected ${expected.digest}`)
    }
    const url = new URL(location, await http.baseUrl())
    url.searchParams.set('digest', digest)
    const res = await http.request({
      method: 'PUT',
      path: url.href,
      headers: { 'content-type': 'application/octet-stream' },
      body: buffer.subarray(0, filled),
      scope,
    })
    await expect(res, 201, `${what} commit`)
    return { digest, size }
  } catch (e) {
    content.destroy()
    await cancel(http, location, scope)
    throw e
  }
}

async function expect(res: HttpResponse, status: number, what: string): Promise<void> {
  if (res.status === status) {
    await discard(res.body)
    return
  }
  const text = await registryErrorText(res.body)
  const detail = `${what}: HTTP ${res.status}${text ? ` (${text})` : ''}`
  if (text.includes('DIGEST_INVALID')) throw new OciError('DIGEST_MISMATCH', detail, { status: res.status })
  if (res.status === 403) throw new OciError('UNAUTHORIZED', detail, { status: 403 })
  if (res.status === 404) throw new OciError('NOT_FOUND', detail, { status: 404 })
  throw new OciError('REGISTRY_ERROR', detail, { status: res.status })
}

function uploadLocation(res: HttpResponse, what: string): string {
  const location = res.headers.location
  if (location === undefined || location === '')
    throw new OciError('REGISTRY_ERROR', `${what}: no Location for the upload`)
  return location
}

async function cancel(http: RegistryHttp, location: string, scope: string): Promise<void> {
  try {
    const res = await http.request({ method: 'DELETE', path: location, scope })
    await discard(res.body)
  } catch {
    // best effort: the registry expires abandoned uploads anyway
  }
}
