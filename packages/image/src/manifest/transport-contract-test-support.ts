import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { LayoutDestination } from '../layout/layout-destination.ts'
import { LayoutSource } from '../layout/layout-source.ts'
import { OciError, type OciErrorCode } from '../reference/oci-error.ts'
import { copyImage } from './copy-image.ts'
import { sha256Digest } from './digest.ts'
import type { ImageDestination, ImageSource } from './image-transport.ts'
import { OCI_INDEX } from './media-types.ts'
import { resolveImage } from './resolve-image.ts'

/** The vector layouts copied into the package (`fixtures/layouts/`). */
export const LAYOUTS = fileURLToPath(new URL('../../fixtures/layouts/', import.meta.url))
export const PLAIN_DIGEST = 'sha256:a8255c6c6be9039d7b45a9f0f7bef238c1eb41a1fc0791d547967c5abdbf10af'
export const TWO_DIGEST = 'sha256:f604e07e0c8724c2c1e0eec5a8e1cfcff440b18fa309fb90007f1ce8c55fe8c1'

/** One repository (or layout directory) of the implementation under test, opened at a tag. */
export interface TransportUnderTest {
  open(tag?: string): { source: ImageSource; dest: ImageDestination }
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

export async function assertOciError(p: Promise<unknown>, code: OciErrorCode): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof OciError, `expected an OciError ${code}, got ${String(e)}`)
    assert.equal(e.code, code, e.message)
    return true
  })
}

/** A temporary layout holding an index of `plain` (linux/amd64) and `two` (linux/arm64/v8) tagged `multi`. */
export async function makeMultiPlatformLayout(): Promise<{
  dir: string
  indexDigest: string
  cleanup: () => Promise<void>
}> {
  const dir = await mkdtemp(join(tmpdir(), 'carapace-multi-'))
  const dest = new LayoutDestination(dir)
  await copyImage(new LayoutSource(join(LAYOUTS, 'plain'), 'v1'), dest, { target: { byDigest: true } })
  await copyImage(new LayoutSource(join(LAYOUTS, 'two'), 'v1'), dest, { target: { byDigest: true } })
  const plain = await new LayoutSource(join(LAYOUTS, 'plain'), 'v1').getManifest()
  const two = await new LayoutSource(join(LAYOUTS, 'two'), 'v1').getManifest()
  const index = {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      {
        mediaType: plain.mediaType,
        digest: plain.digest,
        size: plain.bytes.length,
        platform: { os: 'linux', architecture: 'amd64' },
      },
      {
        mediaType: two.mediaType,
        digest: two.digest,
        size: two.bytes.length,
        platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
      },
    ],
  }
  const bytes = Buffer.from(JSON.stringify(index))
  const indexDigest = await dest.putManifest({ bytes, mediaType: OCI_INDEX }, { tag: 'multi' })
  return { dir, indexDigest, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

/** The behaviour every ImageSource/ImageDestination pair must show; registers node:test tests. */
export function imageTransportContract(t: () => TransportUnderTest): void {
  test('contract: an image copied in reads back byte for byte, tags listed', async () => {
    const { source, dest } = t().open('v1')
    assert.equal(await copyImage(new LayoutSource(join(LAYOUTS, 'plain'), 'v1'), dest), PLAIN_DIGEST)
    const raw = await source.getManifest()
    assert.equal(raw.digest, PLAIN_DIGEST)
    assert.equal(sha256Digest(raw.bytes), PLAIN_DIGEST)
    assert.equal(raw.mediaType, 'application/vnd.oci.image.manifest.v1+json')
    assert.equal((await source.getManifest(PLAIN_DIGEST)).digest, PLAIN_DIGEST)
    const image = await resolveImage(source)
    for (const blob of [image.manifest.config, ...image.manifest.layers]) {
      assert.equal(sha256Digest(await readAll(await source.getBlob(blob))), blob.digest)
      assert.equal(await dest.hasBlob(blob.digest), true)
    }
    assert.ok((await source.listTags()).includes('v1'))
  })

  test('contract: unknown tag, manifest and blob are NOT_FOUND', async () => {
    const { source, dest } = t().open('v1')
    await copyImage(new LayoutSource(join(LAYOUTS, 'plain'), 'v1'), dest)
    await assertOciError(source.getManifest('no-such-tag'), 'NOT_FOUND')
    await assertOciError(source.getManifest(`sha256:${'0'.repeat(64)}`), 'NOT_FOUND')
    await assertOciError(
      (async () => readAll(await source.getBlob({ digest: `sha256:${'1'.repeat(64)}`, size: 3 })))(),
      'NOT_FOUND',
    )
  })

  test('contract: putBlob computes digests, refuses a wrong expected digest and keeps nothing', async () => {
    const { source, dest } = t().open('v1')
    const content = Buffer.from(`blob ${Math.random()}`)
    const digest = sha256Digest(content)
    await assertOciError(
      dest.putBlob(Readable.from([content]), { digest: `sha256:${'2'.repeat(64)}` }),
      'DIGEST_MISMATCH',
    )
    assert.equal(await dest.hasBlob(digest), false)
    assert.deepEqual(await dest.putBlob(Readable.from([content.subarray(0, 3), content.subarray(3)])), {
      digest,
      size: content.length,
    })
    assert.equal(await dest.hasBlob(digest), true)
    assert.deepEqual(await readAll(await source.getBlob({ digest, size: content.length })), content)
    await assertOciError(
      (async () => readAll(await source.getBlob({ digest, size: content.length - 1 })))(),
      'SIZE_MISMATCH',
    )
  })

  test('contract: signature-style tag on a digest, listed among the tags', async () => {
    const { source, dest } = t().open('v1')
    await copyImage(new LayoutSource(join(LAYOUTS, 'plain'), 'v1'), dest)
    const sigTag = `${PLAIN_DIGEST.replace(':', '-')}.sig`
    const plain = await source.getManifest()
    await dest.putManifest(plain, { tag: sigTag })
    assert.ok((await source.listTags()).includes(sigTag))
    assert.equal((await source.getManifest(sigTag)).digest, PLAIN_DIGEST)
  })

  test('contract: a multi-platform index resolves per platform', async () => {
    const multi = await makeMultiPlatformLayout()
    try {
      const { source, dest } = t().open('multi')
      assert.equal(await copyImage(new LayoutSource(multi.dir, 'multi'), dest), multi.indexDigest)
      const amd = await resolveImage(source, { platform: { os: 'linux', architecture: 'amd64' } })
      assert.equal(amd.raw.digest, PLAIN_DIGEST)
      assert.equal(amd.index?.raw.digest, multi.indexDigest)
      const arm = await resolveImage(source, { platform: { os: 'linux', architecture: 'arm64' } })
      assert.equal(arm.raw.digest, TWO_DIGEST)
      await assertOciError(
        resolveImage(source, { platform: { os: 'linux', architecture: 's390x' } }),
        'NO_MATCHING_PLATFORM',
      )
    } finally {
      await multi.cleanup()
    }
  })
}
