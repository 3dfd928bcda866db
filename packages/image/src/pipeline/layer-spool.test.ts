import assert from 'node:assert/strict'
import { createHmac, randomBytes } from 'node:crypto'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { after, describe, test } from 'node:test'
import { sha256Digest } from '../manifest/digest.ts'
import type { BlobInfo, ImageSource } from '../manifest/image-transport.ts'
import type { Descriptor } from '../manifest/manifest.ts'
import { verifyingStream } from '../manifest/verifying-stream.ts'
import { authenticateLayer } from '../ocicrypt/layer-authenticate.ts'
import { authenticateLayerBlob, type LayerAuthenticator } from './layer-spool.ts'
import { removeScratchDirs, scratchDir } from './test-image.ts'

after(removeScratchDirs)

const CHUNK = 256 * 1024
const symkey = randomBytes(32)
const blob = randomBytes(32 * CHUNK)
const descriptor: Descriptor = {
  mediaType: 'application/vnd.oci.image.layer.v1.tar+encrypted',
  digest: sha256Digest(blob),
  size: blob.length,
}
const good: LayerAuthenticator = {
  authenticate: (c) => authenticateLayer(c, { symkey, hmac: createHmac('sha256', symkey).update(blob).digest() }),
}
const badHmac: LayerAuthenticator = {
  authenticate: (c) => authenticateLayer(c, { symkey, hmac: Buffer.alloc(32) }),
}

/**
 * A source serving `bytes` for `descriptor` in CHUNK pieces, digest-verified as real sources do;
 * `onChunk(i)` runs before chunk i is handed out. `local` marks it as a layout.
 */
function sourceOf(
  bytes: Buffer,
  options: { local?: boolean; onChunk?: (i: number) => Promise<void> } = {},
): ImageSource & { reads: number } {
  const source = {
    name: 'test:',
    reads: 0,
    ...(options.local === true ? { localBlobs: true } : {}),
    getManifest: () => Promise.reject(new Error('unused')),
    getBlob: (info: BlobInfo): Promise<Readable> => {
      source.reads++
      const produce = async function* (): AsyncGenerator<Buffer> {
        for (let i = 0; i * CHUNK < bytes.length; i++) {
          await options.onChunk?.(i)
          yield bytes.subarray(i * CHUNK, (i + 1) * CHUNK)
        }
      }
      return Promise.resolve(Readable.from(produce(), { objectMode: false }).pipe(verifyingStream(info, 'blob')))
    },
    listTags: () => Promise.resolve([]),
    close: () => Promise.resolve(),
  }
  return source
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const chunk of stream) parts.push(chunk as Buffer)
  return Buffer.concat(parts)
}

describe('authenticateLayerBlob (verify-first pass 1)', () => {
  test('registry blob: spooled to disk as it downloads (not held in memory), read back, then removed', async () => {
    const spoolDir = await scratchDir()
    const lag: number[] = []
    const source = sourceOf(blob, {
      onChunk: async (i) => {
        const names = await readdir(spoolDir)
        if (i === 0) return
        assert.equal(names.length, 1, 'one spool file')
        lag.push(i * CHUNK - (await stat(join(spoolDir, names[0] ?? ''))).size)
      },
    })
    let observed = 0
    const ciphertext = await authenticateLayerBlob(source, descriptor, good, {
      spoolDir,
      observe: (c) => (observed += c.length),
    })
    // when chunk i is fetched, all but a 1 MiB write batch and the streams' buffers is on disk
    assert.equal(lag.length, 31)
    assert.ok(
      lag.every((l) => l >= 0 && l <= 2 * 1024 * 1024),
      `bytes fetched but not yet on disk: ${lag.join(',')}`,
    )
    assert.equal(observed, blob.length)
    const [name] = await readdir(spoolDir)
    assert.ok(name !== undefined)
    assert.equal((await stat(join(spoolDir, name))).mode & 0o777, 0o600)
    assert.ok((await readAll(await ciphertext.open())).equals(blob), 'pass 2 reads the authenticated bytes')
    assert.equal(source.reads, 1, 'downloaded once')
    await ciphertext.remove()
    await ciphertext.remove()
    assert.deepEqual(await readdir(spoolDir), [])
  })

  test('registry blob with a wrong HMAC or a wrong digest: the error, and no spool file left', async () => {
    const spoolDir = await scratchDir()
    await assert.rejects(authenticateLayerBlob(sourceOf(blob), descriptor, badHmac, { spoolDir }), {
      code: 'HMAC_MISMATCH',
    })
    assert.deepEqual(await readdir(spoolDir), [])
    const corrupt = Buffer.from(blob)
    corrupt[5] = (corrupt[5] ?? 0) ^ 0xff
    await assert.rejects(authenticateLayerBlob(sourceOf(corrupt), descriptor, good, { spoolDir }), {
      code: 'DIGEST_MISMATCH',
    })
    assert.deepEqual(await readdir(spoolDir), [])
  })

  test('layout blob: authenticated in place (no copy), read a second time, digest-verified again', async () => {
    const spoolDir = await scratchDir()
    const source = sourceOf(blob, { local: true })
    const ciphertext = await authenticateLayerBlob(source, descriptor, good, { spoolDir })
    assert.deepEqual(await readdir(spoolDir), [], 'nothing copied')
    assert.equal(source.reads, 1)
    assert.ok((await readAll(await ciphertext.open())).equals(blob))
    assert.equal(source.reads, 2)
    await assert.rejects(authenticateLayerBlob(source, descriptor, badHmac, { spoolDir }), { code: 'HMAC_MISMATCH' })
    assert.equal(source.reads, 3, 'a refused layer is never opened again')
  })

  test('an aborted pull stops pass 1 between chunks with ABORTED, spool removed', async () => {
    const spoolDir = await scratchDir()
    const abort = new AbortController()
    const source = sourceOf(blob, {
      onChunk: (i) => {
        if (i === 3) abort.abort()
        return Promise.resolve()
      },
    })
    await assert.rejects(authenticateLayerBlob(source, descriptor, good, { spoolDir, signal: abort.signal }), {
      code: 'ABORTED',
    })
    assert.deepEqual(await readdir(spoolDir), [])
  })

  test('the spool file name cannot leave the spool directory', async () => {
    const spoolDir = await scratchDir()
    const odd = { ...descriptor, digest: '../../sha256:x' }
    const source = sourceOf(blob, {
      onChunk: async (i) => {
        if (i === 1) assert.deepEqual(await readdir(spoolDir), ['layer-------sha256-x.spool'])
      },
    })
    // the digest is odd, so the source's own verification fails; the name was safe meanwhile
    await assert.rejects(authenticateLayerBlob(source, odd, good, { spoolDir }), { code: 'DIGEST_MISMATCH' })
    assert.deepEqual(await readdir(spoolDir), [])
  })
})
