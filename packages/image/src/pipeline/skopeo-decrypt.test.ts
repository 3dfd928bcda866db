import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { LayoutSource } from '../layout/layout-source.ts'
import { openImageDestination, openImageSource } from '../manifest/open-image.ts'
import { jweKeyUnwrapper } from '../ocicrypt/jwe-key-wrapper.ts'
import { parsePrivateKey } from '../ocicrypt/key-material.ts'
import { parseImageReference } from '../reference/image-reference.ts'
import { skopeo } from '../registry/test-support/peer-tools.ts'
import { startRegistry, type LocalRegistry } from '../registry/test-support/start-registry.ts'
import { decryptImage } from './decrypt-image.ts'
import { FILES, MORE_FILES, removeScratchDirs, rsaKeyPair, scratchDir, writeTestImage } from './test-image.ts'

// decryptImage against Debian's skopeo 1.9 and docker-registry (scripts/install-system-deps.sh):
// a skopeo-encrypted image decrypted registry → registry, read back by `skopeo inspect`, with the
// same layer digests as the plain image and as `skopeo copy --decryption-key` gives.

const rsa = rsaKeyPair()
let dir: string
let registry: LocalRegistry

before(async () => {
  dir = await scratchDir('carapace-skopeo-decrypt-')
  registry = await startRegistry()
  await writeFile(join(dir, 'pub.pem'), rsa.publicPem)
  await writeFile(join(dir, 'priv.pem'), rsa.privatePem)
})
after(async () => {
  await registry.stop()
  await removeScratchDirs()
})

interface Inspected {
  readonly Digest: string
  readonly Layers: readonly string[]
}

async function inspect(ref: string): Promise<Inspected> {
  return JSON.parse(await skopeo(['inspect', '--tls-verify=false', ref])) as Inspected
}

describe('decryptImage with skopeo 1.9 and a registry', () => {
  test('skopeo-encrypted image in the registry → decrypted into the registry; skopeo inspect reads it', async () => {
    const plain = join(dir, 'plain')
    const image = await writeTestImage(plain, 'v1', [FILES, MORE_FILES])
    const enc = `docker://${registry.host}/coco/enc:v1`
    await skopeo([
      'copy',
      '--dest-tls-verify=false',
      '--encryption-key',
      `jwe:${join(dir, 'pub.pem')}`,
      `oci:${plain}:v1`,
      enc,
    ])
    const dec = `docker://${registry.host}/coco/dec:v1`
    const registryOptions = { registry: { tlsVerify: false } }
    const source = openImageSource(parseImageReference(enc), registryOptions)
    const destination = openImageDestination(parseImageReference(dec), registryOptions)
    try {
      const result = await decryptImage({
        source,
        destination,
        unwrappers: [jweKeyUnwrapper([parsePrivateKey(rsa.privatePem)])],
      })
      assert.equal(result.images[0]?.decrypted.length, 2)
      const seen = await inspect(dec)
      assert.equal(seen.Digest, result.manifestDigest)
      assert.deepEqual(seen.Layers, image.layerDigests)
    } finally {
      await source.close()
      await destination.close()
    }

    // the same image through skopeo copy --decryption-key: the same layer blobs
    const theirs = join(dir, 'skopeo-dec')
    await skopeo(['copy', '--src-tls-verify=false', '--decryption-key', join(dir, 'priv.pem'), enc, `oci:${theirs}:v1`])
    const raw = await new LayoutSource(theirs, 'v1').getManifest()
    const manifest = JSON.parse(raw.bytes.toString('utf8')) as { layers: { digest: string }[] }
    assert.deepEqual(
      manifest.layers.map((l) => l.digest),
      image.layerDigests,
    )
  })

  test('decrypted into a layout, skopeo inspect oci: reads it', async () => {
    const plain = join(dir, 'plain2')
    const image = await writeTestImage(plain, 'v1', [FILES])
    const enc = join(dir, 'enc2')
    await skopeo(['copy', '--encryption-key', `jwe:${join(dir, 'pub.pem')}`, `oci:${plain}:v1`, `oci:${enc}:v1`])
    const out = join(dir, 'dec2')
    const source = openImageSource(parseImageReference(`oci:${enc}:v1`))
    const destination = openImageDestination(parseImageReference(`oci:${out}:v1`))
    await decryptImage({ source, destination, unwrappers: [jweKeyUnwrapper([parsePrivateKey(rsa.privatePem)])] })
    await source.close()
    await destination.close()
    const seen = await inspect(`oci:${out}:v1`)
    assert.deepEqual(seen.Layers, image.layerDigests)
  })
})
