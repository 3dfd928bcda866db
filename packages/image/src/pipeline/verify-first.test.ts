import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { afterEach, after, describe, mock, test } from 'node:test'
import { LayoutDestination } from '../layout/layout-destination.ts'
import { LayoutSource } from '../layout/layout-source.ts'
import type { BlobInfo, ImageSource } from '../manifest/image-transport.ts'
import { parseManifest, type ImageManifest } from '../manifest/manifest.ts'
import { OCI_CONFIG, OCI_MANIFEST } from '../manifest/media-types.ts'
import { jweKeyUnwrapper, jweKeyWrapper } from '../ocicrypt/jwe-key-wrapper.ts'
import { parsePrivateKey, parsePublicKey } from '../ocicrypt/key-material.ts'
import { LayerDecryptStream } from '../ocicrypt/layer-cipher.ts'
import { decryptLayer } from '../ocicrypt/layer-decrypt.ts'
import type { KeyUnwrapper } from '../ocicrypt/key-wrapper.ts'
import { parseOciLayoutReference } from '../reference/image-reference.ts'
import { buildTar, sha256DiffId, type TestEntry } from '../unpack/test-tar.ts'
import { unpackLayers } from '../unpack/unpack-layers.ts'
import { encryptImage } from './encrypt-image.ts'
import { pullImage } from './pull-image.ts'
import {
  acceptAnything,
  FILES,
  MORE_FILES,
  removeScratchDirs,
  rsaKeyPair,
  scratchDir,
  writeTestImage,
} from './test-image.ts'

// Verify-first: an encrypted layer's ciphertext is authenticated whole (HMAC) before one byte of
// it is decrypted. The spy on LayerDecryptStream._transform is the gate every plaintext byte passes:
// for a tampered layer it must never run, so neither gunzip nor the tar parser sees anything.

after(removeScratchDirs)
afterEach(() => {
  mock.restoreAll()
})

const keys = rsaKeyPair()
const wrapper = jweKeyWrapper([parsePublicKey(keys.publicPem)])
const unwrapper = jweKeyUnwrapper([parsePrivateKey(keys.privatePem)])
const TAR = 'application/vnd.oci.image.layer.v1.tar'
const VECTORS = fileURLToPath(new URL('../../fixtures/ocicrypt/', import.meta.url))

function spyDecryptor() {
  return mock.method(LayerDecryptStream.prototype, '_transform')
}

/** The same source seen as a registry: no `localBlobs`, so pass 1 spools the blob. */
function remote(source: ImageSource, onBlob?: (blob: BlobInfo) => Promise<void>): ImageSource {
  return {
    name: `remote ${source.name}`,
    getManifest: (ref) => source.getManifest(ref),
    getBlob: async (blob) => {
      await onBlob?.(blob)
      return source.getBlob(blob)
    },
    listTags: () => source.listTags(),
    close: () => source.close(),
  }
}

async function manifestOf(dir: string): Promise<ImageManifest> {
  const raw = await new LayoutSource(dir, 'v1').getManifest()
  const parsed = parseManifest(raw.bytes, raw.mediaType)
  assert.ok(parsed.kind === 'manifest')
  return parsed.manifest
}

/** An encrypted image of one uncompressed tar layer (so a ciphertext bit flip is a tar bit flip). */
async function encryptedTarImage(entries: readonly TestEntry[]): Promise<{ dir: string; enc: string }> {
  const dir = await scratchDir()
  const plain = new LayoutDestination(join(dir, 'plain'), 'v1')
  const tar = buildTar(entries)
  const layer = await plain.putBlob(Readable.from([tar]))
  const config = await plain.putBlob(
    Readable.from([
      Buffer.from(JSON.stringify({ os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256DiffId(tar)] } })),
    ]),
  )
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, ...config },
    layers: [{ mediaType: TAR, ...layer }],
  }
  await plain.putManifest({ bytes: Buffer.from(JSON.stringify(manifest)), mediaType: OCI_MANIFEST })
  const enc = join(dir, 'enc')
  await encryptImage({
    source: new LayoutSource(join(dir, 'plain'), 'v1'),
    destination: new LayoutDestination(enc, 'v1'),
    wrappers: [wrapper],
  })
  return { dir, enc }
}

/** Rewrites layer `index`'s ciphertext with `tamper` and re-announces its digest: only the HMAC can tell. */
async function tamperLayer(enc: string, index: number, tamper: (ciphertext: Buffer) => void): Promise<Buffer> {
  const m = await manifestOf(enc)
  const layer = m.layers[index]
  assert.ok(layer !== undefined)
  const blob = await readFile(join(enc, 'blobs', 'sha256', layer.digest.slice(7)))
  tamper(blob)
  const dest = new LayoutDestination(enc, 'v1')
  const info = await dest.putBlob(Readable.from([blob]))
  const layers = m.layers.map((l, i) => (i === index ? { ...l, digest: info.digest } : l))
  await dest.putManifest({ bytes: Buffer.from(JSON.stringify({ ...m, layers })), mediaType: OCI_MANIFEST })
  return blob
}

function pull(layout: string, dest: string, source: ImageSource = new LayoutSource(layout, 'v1')) {
  return pullImage({
    source,
    reference: parseOciLayoutReference(`${layout}:v1`),
    dest,
    policy: { policy: acceptAnything() },
    unwrappers: [unwrapper] as readonly KeyUnwrapper[],
  })
}

/** What the old streaming pull did with this ciphertext: decrypt and unpack as the bytes arrive. */
async function streamWithoutPass1(enc: string, ciphertext: Buffer, dest: string): Promise<unknown> {
  const m = await manifestOf(enc)
  const layer = m.layers[0]
  assert.ok(layer !== undefined)
  const config = JSON.parse(await readFile(join(enc, 'blobs', 'sha256', m.config.digest.slice(7)), 'utf8')) as {
    rootfs: { diff_ids: string[] }
  }
  const opened = await decryptLayer({ ...layer, annotations: { ...layer.annotations } }, [unwrapper])
  // as from a network: the bytes arrive over time, and the unpack works on what was released
  async function* arriving(): AsyncGenerator<Buffer> {
    for (let i = 0; i < ciphertext.length; i += 16 * 1024) {
      yield ciphertext.subarray(i, i + 16 * 1024)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }
  Readable.from(arriving()).pipe(opened.stream)
  const layerToUnpack = {
    mediaType: opened.mediaType,
    stream: opened.stream,
    diffId: config.rootfs.diff_ids[0] ?? '',
    verified: opened.verified,
  }
  return unpackLayers([layerToUnpack], dest).then(
    () => assert.fail('the streaming unpack accepted a tampered layer'),
    (e: unknown) => e,
  )
}

async function assertNothingLeft(dir: string): Promise<void> {
  assert.deepEqual(
    (await readdir(dir)).filter((n) => n === 'out' || n.startsWith('.')),
    [],
  )
}

describe('verify-first pull: the HMAC is checked before any byte is decrypted', () => {
  // over the decryptor's 10 KiB hold-back, so the streaming pull released the first header early
  const big: TestEntry = { name: 'big.bin', data: randomBytes(64 * 1024) }
  const hello: TestEntry[] = [{ name: 'hello.txt', data: 'hello\n' }, big]
  // same data, so every later byte lines up: the flip turns the name into a path escape
  const escape: TestEntry[] = [{ name: '../../escaped.txt', data: 'hello\n' }, big]

  for (const where of ['layout', 'registry'] as const) {
    test(`${where}: ciphertext bits flipped into a tar path escape → HMAC_MISMATCH, decryptor never fed`, async () => {
      const { dir, enc } = await encryptedTarImage(hello)
      const target = buildTar(escape)
      const delta = buildTar(hello).map((b, i) => b ^ (target[i] ?? 0))
      const tampered = await tamperLayer(enc, 0, (c) => {
        for (let i = 0; i < 512; i++) c[i] = (c[i] ?? 0) ^ (delta[i] ?? 0)
      })
      const without = await streamWithoutPass1(enc, tampered, join(dir, 'old'))
      assert.equal((without as { code?: string }).code, 'PATH_ESCAPE', 'the crafted flip really is an escape')
      const spy = spyDecryptor()
      const source = where === 'layout' ? new LayoutSource(enc, 'v1') : remote(new LayoutSource(enc, 'v1'))
      await assert.rejects(pull(enc, join(dir, 'out'), source), { code: 'HMAC_MISMATCH' })
      assert.equal(spy.mock.callCount(), 0, 'no ciphertext byte reached the decryptor')
      await assertNothingLeft(dir)
    })
  }

  test('gzip header flipped (would be DECOMPRESS_FAILED) → HMAC_MISMATCH, decryptor never fed', async () => {
    const dir = await scratchDir()
    await writeTestImage(join(dir, 'plain'), 'v1', [[...FILES, big]])
    const enc = join(dir, 'enc')
    await encryptImage({
      source: new LayoutSource(join(dir, 'plain'), 'v1'),
      destination: new LayoutDestination(enc, 'v1'),
      wrappers: [wrapper],
    })
    const tampered = await tamperLayer(enc, 0, (c) => {
      c[0] = (c[0] ?? 0) ^ 0xff
    })
    const without = await streamWithoutPass1(enc, tampered, join(dir, 'old'))
    assert.equal((without as { code?: string }).code, 'DECOMPRESS_FAILED')
    const spy = spyDecryptor()
    await assert.rejects(pull(enc, join(dir, 'out'), remote(new LayoutSource(enc, 'v1'))), { code: 'HMAC_MISMATCH' })
    assert.equal(spy.mock.callCount(), 0)
    await assertNothingLeft(dir)
  })

  test('the tampered-hmac vector (skopeo-made): HMAC_MISMATCH, decryptor never fed', async () => {
    const dir = await scratchDir()
    const layout = join(VECTORS, 'layouts', 'tampered-hmac')
    const key = await readFile(join(VECTORS, 'keys', 'jwe-rsa-priv.pem'))
    const spy = spyDecryptor()
    await assert.rejects(
      pullImage({
        source: new LayoutSource(layout, 'v1'),
        reference: parseOciLayoutReference(`${layout}:v1`),
        dest: join(dir, 'out'),
        policy: { policy: acceptAnything() },
        unwrappers: [jweKeyUnwrapper([parsePrivateKey(key)])],
      }),
      { code: 'HMAC_MISMATCH' },
    )
    assert.equal(spy.mock.callCount(), 0)
    assert.deepEqual(await readdir(dir), [])
  })

  test('second layer tampered: only the first layer was ever decrypted; nothing left', async () => {
    const dir = await scratchDir()
    await writeTestImage(join(dir, 'plain'), 'v1', [FILES, MORE_FILES])
    const enc = join(dir, 'enc')
    await encryptImage({
      source: new LayoutSource(join(dir, 'plain'), 'v1'),
      destination: new LayoutDestination(enc, 'v1'),
      wrappers: [wrapper],
    })
    await tamperLayer(enc, 1, (c) => {
      c[c.length - 1] = (c[c.length - 1] ?? 0) ^ 1
    })
    const spy = spyDecryptor()
    await assert.rejects(pull(enc, join(dir, 'out'), remote(new LayoutSource(enc, 'v1'))), { code: 'HMAC_MISMATCH' })
    assert.ok(spy.mock.callCount() > 0, 'the good first layer was decrypted')
    assert.equal(new Set(spy.mock.calls.map((c) => c.this)).size, 1, 'by one decryptor: the first layer’s')
    await assertNothingLeft(dir)
  })

  test('registry source: each spool file is gone before the next layer and after success', async () => {
    const dir = await scratchDir()
    await writeTestImage(join(dir, 'plain'), 'v1', [FILES, MORE_FILES])
    const enc = join(dir, 'enc')
    await encryptImage({
      source: new LayoutSource(join(dir, 'plain'), 'v1'),
      destination: new LayoutDestination(enc, 'v1'),
      wrappers: [wrapper],
    })
    const m = await manifestOf(enc)
    const spoolsSeen: string[][] = []
    const spools = async (): Promise<string[]> => {
      const staging = (await readdir(dir)).filter((n) => n.startsWith('.out.pull-'))
      assert.equal(staging.length, 1)
      return (await readdir(join(dir, staging[0] ?? ''))).filter((n) => n.endsWith('.spool'))
    }
    const source = remote(new LayoutSource(enc, 'v1'), async (blob) => {
      if (m.layers.some((l) => l.digest === blob.digest)) spoolsSeen.push(await spools())
    })
    const spy = spyDecryptor()
    await pull(enc, join(dir, 'out'), source)
    assert.deepEqual(spoolsSeen, [[], []], 'no spool of an earlier layer remains when the next is fetched')
    assert.ok(spy.mock.callCount() > 0)
    assert.deepEqual((await readdir(join(dir, 'out'))).sort(), ['config.json', 'manifest.json', 'rootfs'])
    assert.equal(await readFile(join(dir, 'out', 'rootfs', 'data', 'secret.txt'), 'utf8'), 'second layer secret\n')
  })
})
