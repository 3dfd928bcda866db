import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { DockerReference } from '../reference/docker-reference.ts'
import { SignatureError } from './signature-error.ts'
import { SIGNATURE_SIZE_LIMIT } from './sigstore-attachments.ts'

/** containers/image stops (with an error) after this many lookaside signatures. */
export const MAX_LOOKASIDE_SIGNATURES = 128

/** Reads one lookaside URL: its bytes, or undefined when it does not exist (ENOENT / HTTP 404). */
export type LookasideReader = (url: URL) => Promise<Buffer | undefined>

/**
 * `<base>/<repository path>@<algo>=<hex>/signature-<n>` (n from 1), the simple-signing lookaside
 * layout (`docker/registries_d.go`); the repository path has no host, tag or digest.
 */
export function lookasideSignatureUrl(base: string, ref: DockerReference, manifestDigest: string, n: number): URL {
  let url: URL
  try {
    url = new URL(base)
  } catch {
    throw new SignatureError('INVALID_REGISTRIES_CONFIG', `invalid lookaside URL ${JSON.stringify(base)}`)
  }
  const [algorithm, hex] = manifestDigest.split(':')
  url.pathname = `${url.pathname.replace(/\/$/, '')}/${ref.path}@${algorithm}=${hex}/signature-${n}`
  return url
}

/** How long one lookaside HTTP read may take before it fails. */
export const LOOKASIDE_TIMEOUT_MS = 30_000

/** file: reads the file; http(s): GET with `fetchImpl` (default global fetch); other schemes are refused. */
export function createLookasideReader(
  fetchImpl: typeof fetch = fetch,
  timeoutMs = LOOKASIDE_TIMEOUT_MS,
): LookasideReader {
  return async (url) => {
    if (url.protocol === 'file:') {
      try {
        const bytes = await readFile(fileURLToPath(url))
        if (bytes.length > SIGNATURE_SIZE_LIMIT)
          throw new SignatureError('SIGNATURE_SOURCE', `${url.href} is larger than ${SIGNATURE_SIZE_LIMIT} bytes`)
        return bytes
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        if (e instanceof SignatureError) throw e
        throw new SignatureError(
          'SIGNATURE_SOURCE',
          `Error reading signature from ${url.href}: ${(e as Error).message}`,
          { cause: e },
        )
      }
    }
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      let res: Response
      try {
        res = await fetchImpl(url, { redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) })
      } catch (e) {
        throw new SignatureError(
          'SIGNATURE_SOURCE',
          `Error reading signature from ${url.href}: ${(e as Error).message}`,
          { cause: e },
        )
      }
      if (res.status === 404) {
        await res.body?.cancel()
        return undefined
      }
      if (res.status !== 200) {
        await res.body?.cancel()
        throw new SignatureError(
          'SIGNATURE_SOURCE',
          `Error reading signature from ${url.href}: status ${res.status} (${res.statusText})`,
        )
      }
      const declared = Number(res.headers.get('content-length') ?? '0')
      if (declared > SIGNATURE_SIZE_LIMIT) {
        await res.body?.cancel()
        throw new SignatureError('SIGNATURE_SOURCE', `${url.href} is larger than ${SIGNATURE_SIZE_LIMIT} bytes`)
      }
      if (res.body === null) return Buffer.alloc(0)
      return readLimited(res.body, url)
    }
    throw new SignatureError('SIGNATURE_SOURCE', `Unsupported scheme when reading signature from ${url.href}`)
  }
}

/** Reads `signature-1`, `signature-2`, … until one is missing; more than 128 is an error. */
export async function readLookasideSignatures(
  base: string,
  ref: DockerReference,
  manifestDigest: string,
  reader: LookasideReader = createLookasideReader(),
): Promise<Buffer[]> {
  const signatures: Buffer[] = []
  for (let n = 1; ; n++) {
    if (n > MAX_LOOKASIDE_SIGNATURES) {
      throw new SignatureError(
        'SIGNATURE_SOURCE',
        `server provided ${MAX_LOOKASIDE_SIGNATURES} signatures, assuming that's unreasonable and a server error`,
      )
    }
    const blob = await reader(lookasideSignatureUrl(base, ref, manifestDigest, n))
    if (blob === undefined) return signatures
    signatures.push(blob)
  }
}

/** The body, refusing it as soon as it passes the signature size limit (no unbounded buffering). */
async function readLimited(body: ReadableStream<Uint8Array>, url: URL): Promise<Buffer> {
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for await (const chunk of body) {
      total += chunk.length
      if (total > SIGNATURE_SIZE_LIMIT) {
        throw new SignatureError('SIGNATURE_SOURCE', `${url.href} is larger than ${SIGNATURE_SIZE_LIMIT} bytes`)
      }
      chunks.push(chunk)
    }
  } catch (e) {
    if (e instanceof SignatureError) throw e
    throw new SignatureError('SIGNATURE_SOURCE', `Error reading signature from ${url.href}: ${(e as Error).message}`, {
      cause: e,
    })
  }
  return Buffer.concat(chunks)
}
