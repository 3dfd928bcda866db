import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, describe, test } from 'node:test'
import { blobPath } from '../layout/layout-files.ts'
import { LayoutDestination } from '../layout/layout-destination.ts'
import { LayoutSource } from '../layout/layout-source.ts'
import { parseManifest, type ImageManifest } from '../manifest/manifest.ts'
import { OCI_INDEX, OCI_MANIFEST } from '../manifest/media-types.ts'
import { jweKeyUnwrapper, jweKeyWrapper } from '../ocicrypt/jwe-key-wrapper.ts'
import { parsePrivateKey, parsePublicKey } from '../ocicrypt/key-material.ts'
import type { KeyUnwrapper } from '../ocicrypt/key-wrapper.ts'
import { parseOciLayoutReference } from '../reference/image-reference.ts'
import { cdhKeyUnwrapper } from './cdh-resources.ts'
import { decryptImage } from './decrypt-image.ts'
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

// `decryptImage` (skopeo copy --decryption-key) on the skopeo-made layouts of the ocicrypt
// fixtures (see fixtures/ocicrypt/README.md) and on images of our own.

const FIXTURES = fileURLToPath(new URL('../../fixtures/ocicrypt/', import.meta.url))
const key = (name: string): Promise<Buffer> => readFile(join(FIXTURES, 'keys', name))

interface ExpectedLayer {
  readonly mediaType: string
  readonly digest: string
  readonly plaintextDigest?: string
}
interface Expected {
  readonly manifests: readonly {
    readonly config: { readonly digest: string }
    readonly layers: readonly ExpectedLayer[]
    readonly diff_ids: readonly string[]
  }[]
}

async function expected(layout: string): Promise<Expected['manifests'][number]> {
  const doc = JSON.parse(await readFile(join(FIXTURES, 'layouts', `${layout}.expected.json`), 'utf8')) as Expected
  const first = doc.manifests[0]
  assert.ok(first !== undefined)
  return first
}

async function fixtureUnwrappers(): Promise<KeyUnwrapper[]> {
  const kek = await key('coco-kek.bin')
  return [
    jweKeyUnwrapper([parsePrivateKey(await key('jwe-rsa-priv.pem')), parsePrivateKey(await key('jwe-ec-priv.pem'))]),
    cdhKeyUnwrapper((uri) => {
      assert.equal(uri, 'kbs:///default/image-kek/coco-test')
      return Promise.resolve(kek)
    }),
  ]
}

async function readManifest(dir: string): Promise<ImageManifest> {
  const raw = await new LayoutSource(dir, 'v1').getManifest()
  const parsed = parseManifest(raw.bytes, raw.mediaType)
  assert.equal(parsed.kind, 'manifest')
  return parsed.manifest
}

/** No `v1` at `dir`: no layout at all (nothing written), or one whose index has no such tag. */
async function assertNoTag(dir: string): Promise<void> {
  if (!existsSync(join(dir, 'index.json'))) return
  await assert.rejects(new LayoutSource(dir, 'v1').getManifest(), { code: 'NOT_FOUND' })
}

function decryptLayout(layout: string, out: string, unwrappers: readonly KeyUnwrapper[]) {
  return decryptImage({
    source: new LayoutSource(join(FIXTURES, 'layouts', layout), 'v1'),
    destination: new LayoutDestination(out, 'v1'),
    unwrappers,
  })
}

after(removeScratchDirs)

describe('decryptImage on skopeo-encrypted layouts', () => {
  for (const layout of ['enc-jwe-rsa', 'enc-jwe-ec', 'enc-jwe-lastlayer', 'enc-coco-grpc', 'ours-enc']) {
    test(`${layout}: layer digests are the plain image's, no enc annotations, config and diff_ids unchanged`, async () => {
      const want = await expected(layout)
      const out = join(await scratchDir(), 'out')
      const result = await decryptLayout(layout, out, await fixtureUnwrappers())
      const manifest = await readManifest(out)
      assert.equal(manifest.config.digest, want.config.digest)
      assert.deepEqual(
        manifest.layers.map((l) => l.digest),
        want.layers.map((l) => l.plaintextDigest ?? l.digest),
      )
      assert.deepEqual(
        manifest.layers.map((l) => l.mediaType),
        want.layers.map((l) => l.mediaType.replace(/\+encrypted$/, '')),
      )
      for (const layer of manifest.layers) {
        assert.ok(!Object.keys(layer.annotations ?? {}).some((k) => k.startsWith('org.opencontainers.image.enc')))
      }
      const encrypted = want.layers.flatMap((l, index) => (l.mediaType.endsWith('+encrypted') ? [index] : []))
      assert.deepEqual(
        result.images[0]?.decrypted.map((d) => d.index),
        encrypted,
      )
      // the result pulls with no key at all, files and diff_ids checked by the pull
      const pulled = join(await scratchDir(), 'rootfs-of-decrypted')
      const pull = await pullImage({
        source: new LayoutSource(out, 'v1'),
        reference: parseOciLayoutReference(`${out}:v1`),
        dest: pulled,
        policy: { policy: acceptAnything() },
        unwrappers: [],
      })
      assert.deepEqual(
        pull.layers.map((l) => l.diffId),
        want.diff_ids,
      )
    })
  }

  test('tampered-hmac: HMAC_MISMATCH, no tag written, no plaintext blob stored', async () => {
    const want = await expected('tampered-hmac')
    const out = join(await scratchDir(), 'out')
    await assert.rejects(decryptLayout('tampered-hmac', out, await fixtureUnwrappers()), { code: 'HMAC_MISMATCH' })
    assert.ok(existsSync(join(out, 'index.json')), 'the config was copied before the layer failed')
    await assertNoTag(out)
    for (const layer of want.layers) {
      if (layer.plaintextDigest !== undefined) assert.equal(existsSync(blobPath(out, layer.plaintextDigest)), false)
    }
  })

  test('no key: NO_KEY_FOR_LAYER; wrong key: WRONG_KEY; nothing tagged either way', async () => {
    const dir = await scratchDir()
    await assert.rejects(decryptLayout('enc-jwe-rsa', join(dir, 'none'), []), { code: 'NO_KEY_FOR_LAYER' })
    await assert.rejects(decryptLayout('enc-kp-cmd', join(dir, 'stub'), await fixtureUnwrappers()), {
      code: 'NO_KEY_FOR_LAYER',
    })
    const stranger = jweKeyUnwrapper([parsePrivateKey(rsaKeyPair().privatePem)])
    await assert.rejects(decryptLayout('enc-jwe-rsa', join(dir, 'wrong'), [stranger]), { code: 'WRONG_KEY' })
    for (const name of ['none', 'stub', 'wrong']) {
      await assertNoTag(join(dir, name))
    }
  })
})

describe('decryptImage on our own images', () => {
  test('encrypt then decrypt gives back the plain image byte for byte; --layer selection decrypts only those', async () => {
    const dir = await scratchDir()
    const rsa = rsaKeyPair()
    const plain = join(dir, 'plain')
    const image = await writeTestImage(plain, 'v1', [FILES, MORE_FILES])
    await encryptImage({
      source: new LayoutSource(plain, 'v1'),
      destination: new LayoutDestination(join(dir, 'enc'), 'v1'),
      wrappers: [jweKeyWrapper([parsePublicKey(rsa.publicPem)])],
    })
    const unwrappers = [jweKeyUnwrapper([parsePrivateKey(rsa.privatePem)])]
    const result = await decryptImage({
      source: new LayoutSource(join(dir, 'enc'), 'v1'),
      destination: new LayoutDestination(join(dir, 'dec'), 'v1'),
      unwrappers,
    })
    // same layers, same config, same members: the plain manifest exactly
    assert.equal(result.manifestDigest, image.manifestDigest)
    assert.deepEqual(
      result.images[0]?.decrypted.map((d) => d.digest),
      image.layerDigests,
    )

    const partial = join(dir, 'partial')
    await decryptImage({
      source: new LayoutSource(join(dir, 'enc'), 'v1'),
      destination: new LayoutDestination(partial, 'v1'),
      unwrappers,
      layers: [-1],
    })
    const layers = (await readManifest(partial)).layers
    assert.ok(layers[0]?.mediaType.endsWith('+encrypted'))
    assert.equal(layers[1]?.digest, image.layerDigests[1])
    await assert.rejects(
      decryptImage({
        source: new LayoutSource(join(dir, 'enc'), 'v1'),
        destination: new LayoutDestination(join(dir, 'bad'), 'v1'),
        unwrappers,
        layers: [2],
      }),
      { code: 'INVALID_ARGUMENT' },
    )
  })

  test('an index: every platform decrypted, the plain index comes back digest for digest', async () => {
    const dir = await scratchDir()
    const rsa = rsaKeyPair()
    const plain = join(dir, 'plain')
    const amd = await writeTestImage(plain, 'amd', [FILES])
    const arm = await writeTestImage(plain, 'arm', [MORE_FILES.slice(0, 2)])
    const layout = new LayoutSource(plain, 'amd')
    const entry = async (digest: string, architecture: string) => ({
      mediaType: OCI_MANIFEST,
      digest,
      size: (await layout.getManifest(digest)).bytes.length,
      platform: { os: 'linux', architecture },
    })
    const index = {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [await entry(amd.manifestDigest, 'amd64'), await entry(arm.manifestDigest, 'arm64')],
    }
    const indexDigest = await new LayoutDestination(plain, 'multi').putManifest({
      bytes: Buffer.from(JSON.stringify(index)),
      mediaType: OCI_INDEX,
    })
    await encryptImage({
      source: new LayoutSource(plain, 'multi'),
      destination: new LayoutDestination(join(dir, 'enc'), 'v1'),
      wrappers: [jweKeyWrapper([parsePublicKey(rsa.publicPem)])],
    })
    const result = await decryptImage({
      source: new LayoutSource(join(dir, 'enc'), 'v1'),
      destination: new LayoutDestination(join(dir, 'dec'), 'v1'),
      unwrappers: [jweKeyUnwrapper([parsePrivateKey(rsa.privatePem)])],
    })
    assert.equal(result.manifestDigest, indexDigest)
    assert.deepEqual(
      result.images.map((i) => i.manifestDigest),
      [amd.manifestDigest, arm.manifestDigest],
    )
  })

  test('an aborted decrypt writes no tag', async () => {
    const dir = await scratchDir()
    const rsa = rsaKeyPair()
    await writeTestImage(join(dir, 'plain'), 'v1', [FILES])
    await encryptImage({
      source: new LayoutSource(join(dir, 'plain'), 'v1'),
      destination: new LayoutDestination(join(dir, 'enc'), 'v1'),
      wrappers: [jweKeyWrapper([parsePublicKey(rsa.publicPem)])],
    })
    await assert.rejects(
      decryptImage({
        source: new LayoutSource(join(dir, 'enc'), 'v1'),
        destination: new LayoutDestination(join(dir, 'dec'), 'v1'),
        unwrappers: [jweKeyUnwrapper([parsePrivateKey(rsa.privatePem)])],
        signal: AbortSignal.abort(),
      }),
      { code: 'ABORTED' },
    )
    await assertNoTag(join(dir, 'dec'))
  })
})
