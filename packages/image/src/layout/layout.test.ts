import assert from 'node:assert/strict'
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { copyImage } from '../manifest/copy-image.ts'
import { resolveImage } from '../manifest/resolve-image.ts'
import {
  assertOciError,
  imageTransportContract,
  LAYOUTS,
  PLAIN_DIGEST,
  readAll,
} from '../manifest/transport-contract-test-support.ts'
import { LayoutDestination } from './layout-destination.ts'
import { LayoutSource } from './layout-source.ts'

let tmp: string
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'carapace-layout-'))
})
after(async () => {
  await rm(tmp, { recursive: true, force: true })
})

async function copyOf(name: string): Promise<string> {
  const dir = join(tmp, `${name}-${Math.random().toString(36).slice(2)}`)
  await cp(join(LAYOUTS, name), dir, { recursive: true })
  return dir
}

describe('OCI layout: contract', () => {
  imageTransportContract(() => {
    const dir = join(tmp, `contract-${Math.random().toString(36).slice(2)}`)
    return { open: (tag) => ({ source: new LayoutSource(dir, tag), dest: new LayoutDestination(dir, tag) }) }
  })
})

describe('OCI layout', () => {
  test('reads the skopeo/umoci vectors', async () => {
    const source = new LayoutSource(join(LAYOUTS, 'enc-jwe-rsa'), 'v1')
    const image = await resolveImage(source)
    assert.equal(image.raw.digest, 'sha256:8a4da9fba464867b9dee38029063d9b4885c5664f508208b254f71069c91fa4f')
    assert.equal(image.manifest.layers[0]?.mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip+encrypted')
    assert.deepEqual(await source.listTags(), ['v1'])
    const untagged = new LayoutSource(join(LAYOUTS, 'plain'))
    assert.equal((await untagged.getManifest()).digest, PLAIN_DIGEST)
  })

  test('a tampered layer blob fails with DIGEST_MISMATCH at the end of the stream', async () => {
    const dir = await copyOf('plain')
    const image = await resolveImage(new LayoutSource(dir, 'v1'))
    const layer = image.manifest.layers[0]
    assert.ok(layer)
    const path = join(dir, 'blobs', 'sha256', layer.digest.slice(7))
    const bytes = await readFile(path)
    bytes[10] = (bytes[10] ?? 0) ^ 1
    await rm(path, { force: true })
    await writeFile(path, bytes)
    await assertOciError((async () => readAll(await new LayoutSource(dir, 'v1').getBlob(layer)))(), 'DIGEST_MISMATCH')
    await writeFile(path, Buffer.concat([bytes, Buffer.from('x')]))
    await assertOciError((async () => readAll(await new LayoutSource(dir, 'v1').getBlob(layer)))(), 'SIZE_MISMATCH')
  })

  test('a tampered manifest, an oversized one and an unknown media type are coded errors', async () => {
    const dir = await copyOf('plain')
    const path = join(dir, 'blobs', 'sha256', PLAIN_DIGEST.slice(7))
    const original = await readFile(path)
    await assertOciError(new LayoutSource(dir, 'v1', { manifestSizeLimit: 100 }).getManifest(), 'TOO_LARGE')
    await rm(path)
    await writeFile(path, original.toString().replace('"schemaVersion":2', '"schemaVersion":3'))
    await assertOciError(new LayoutSource(dir, 'v1').getManifest(), 'DIGEST_MISMATCH')

    const schema1 = Buffer.from(JSON.stringify({ schemaVersion: 1, name: 'x', tag: 'v1', fsLayers: [] }))
    const dest = new LayoutDestination(dir)
    await dest.putManifest(
      { bytes: schema1, mediaType: 'application/vnd.docker.distribution.manifest.v1+json' },
      { tag: 'old' },
    )
    await assertOciError(resolveImage(new LayoutSource(dir, 'old')), 'UNSUPPORTED_MEDIA_TYPE')
  })

  test('missing tags and non-layouts are clear errors', async () => {
    await assertOciError(new LayoutSource(join(LAYOUTS, 'plain'), 'nope').getManifest(), 'NOT_FOUND')
    await assertOciError(new LayoutSource(tmp, 'v1').getManifest(), 'INVALID_LAYOUT')
    const dir = await copyOf('plain')
    await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"2.0.0"}')
    await assertOciError(new LayoutSource(dir, 'v1').getManifest(), 'INVALID_LAYOUT')
    const two = await copyOf('two')
    await copyImage(new LayoutSource(join(LAYOUTS, 'plain'), 'v1'), new LayoutDestination(two, 'other'))
    await assertOciError(new LayoutSource(two).getManifest(), 'INVALID_ARGUMENT')
  })

  test('writing: re-tagging replaces the entry, other tags stay, no temporary files remain', async () => {
    const dir = join(tmp, 'written')
    await copyImage(new LayoutSource(join(LAYOUTS, 'plain'), 'v1'), new LayoutDestination(dir, 'a'))
    await copyImage(new LayoutSource(join(LAYOUTS, 'two'), 'v1'), new LayoutDestination(dir, 'b'))
    await copyImage(new LayoutSource(join(LAYOUTS, 'two'), 'v1'), new LayoutDestination(dir, 'a'))
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] }
    assert.equal(index.manifests.length, 2)
    assert.deepEqual((await new LayoutSource(dir).listTags()).sort(), ['a', 'b'])
    assert.deepEqual(JSON.parse(await readFile(join(dir, 'oci-layout'), 'utf8')), { imageLayoutVersion: '1.0.0' })
    const files = [...(await readdir(dir)), ...(await readdir(join(dir, 'blobs', 'sha256')))]
    assert.deepEqual(
      files.filter((f) => f.includes('.tmp-')),
      [],
    )
    const expected = (await readdir(join(LAYOUTS, 'plain', 'blobs', 'sha256'))).concat(
      await readdir(join(LAYOUTS, 'two', 'blobs', 'sha256')),
    )
    assert.deepEqual((await readdir(join(dir, 'blobs', 'sha256'))).sort(), [...new Set(expected)].sort())
  })
})
