import { createReadStream } from 'node:fs'
import { open, rm, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import type { ImageSource } from '../manifest/image-transport.ts'
import type { Descriptor } from '../manifest/manifest.ts'
import { UnpackError } from '../unpack/unpack-error.ts'
import { PipelineError } from './pipeline-error.ts'

/** A layer's ciphertext that passed pass 1 (blob digest, size and HMAC): what pass 2 decrypts. */
export interface AuthenticatedCiphertext {
  /** The authenticated bytes again, as a stream; call once. */
  open(): Promise<Readable>
  /** Deletes the spool file, if any; safe to call more than once. */
  remove(): Promise<void>
}

/** Pass 1's view of the layer: `authenticate` reads the ciphertext to its end (DecryptedLayer's). */
export interface LayerAuthenticator {
  authenticate(ciphertext: AsyncIterable<Uint8Array>): Promise<number>
}

export interface AuthenticateBlobOptions {
  /** A private directory (the pull's staging area) for a registry blob's spool file. */
  readonly spoolDir: string
  /** Sees every ciphertext byte as it arrives (progress). */
  readonly observe?: (chunk: Uint8Array) => void
  /** Stops pass 1 between chunks with UnpackError ABORTED, as the unpack does. */
  readonly signal?: AbortSignal
}

const READ_CHUNK = 1 << 20

/**
 * Pass 1 of a verify-first pull: reads the layer blob once, its digest and size verified by the
 * source stream and its HMAC by `layer.authenticate`, and resolves only when all three matched.
 * A local (layout) blob is read in place and read again by `open`; a registry blob is copied as it
 * downloads to a 0600 file in `spoolDir`, read back by `open`, so memory stays bounded. On failure
 * the spool file is removed and the error (HMAC_MISMATCH, DIGEST_MISMATCH, network) is rethrown.
 */
export async function authenticateLayerBlob(
  source: ImageSource,
  descriptor: Descriptor,
  layer: LayerAuthenticator,
  options: AuthenticateBlobOptions,
): Promise<AuthenticatedCiphertext> {
  const blob = await source.getBlob(descriptor)
  if (source.localBlobs === true) {
    try {
      await layer.authenticate(observed(blob, options))
    } finally {
      blob.destroy()
    }
    // content-addressed and verified again while it is read: a change in between fails pass 2
    return { open: () => source.getBlob(descriptor), remove: () => Promise.resolve() }
  }
  const path = join(options.spoolDir, `layer-${descriptor.digest.replace(/[^0-9a-z]/gi, '-')}.spool`)
  const remove = (): Promise<void> => rm(path, { force: true })
  try {
    await layer.authenticate(spooled(observed(blob, options), path))
  } catch (error) {
    blob.destroy()
    await remove()
    throw error
  }
  return { open: () => Promise.resolve(createReadStream(path, { highWaterMark: READ_CHUNK })), remove }
}

async function* observed(
  blob: AsyncIterable<Uint8Array>,
  options: AuthenticateBlobOptions,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of blob) {
    if (options.signal?.aborted === true) throw new UnpackError('ABORTED', 'pull aborted while authenticating a layer')
    options.observe?.(chunk)
    yield chunk
  }
}

/** Spool writes are batched up to this many bytes: HTTP bodies arrive in 16–64 KiB chunks. */
const SPOOL_BATCH = 1 << 20

/** Yields `blob`'s chunks, written to a new file at `path` in batches of at most SPOOL_BATCH bytes. */
async function* spooled(blob: AsyncIterable<Uint8Array>, path: string): AsyncGenerator<Uint8Array> {
  let file: FileHandle
  try {
    file = await open(path, 'wx', 0o600)
  } catch (cause) {
    throw new PipelineError('IO_FAILED', `cannot create the layer spool file ${path}`, { cause })
  }
  let batch: Uint8Array[] = []
  let batched = 0
  const flush = async (): Promise<void> => {
    const data = batch.length === 1 ? batch[0] : Buffer.concat(batch, batched)
    batch = []
    batched = 0
    if (data === undefined) return
    try {
      for (let done = 0; done < data.length;) done += (await file.write(data, done)).bytesWritten
    } catch (cause) {
      throw new PipelineError('IO_FAILED', `cannot write the layer spool file ${path}`, { cause })
    }
  }
  try {
    for await (const chunk of blob) {
      yield chunk
      batch.push(chunk)
      batched += chunk.length
      if (batched >= SPOOL_BATCH) await flush()
    }
    await flush()
  } finally {
    await file.close()
  }
}
