import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { LayoutDestination } from '../layout/layout-destination.ts'
import { LayoutSource } from '../layout/layout-source.ts'
import { parseManifest } from '../manifest/manifest.ts'
import { openImageSource } from '../manifest/open-image.ts'
import { generateKeyPairSync } from 'node:crypto'
import { jweKeyUnwrapper, jweKeyWrapper } from '../ocicrypt/jwe-key-wrapper.ts'
import { parsePrivateKey, parsePublicKey } from '../ocicrypt/key-material.ts'
import { parseImageReference } from '../reference/image-reference.ts'
import { skopeo } from '../registry/test-support/peer-tools.ts'
import { startRegistry, type LocalRegistry } from '../registry/test-support/start-registry.ts'
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

// Interop with Debian's skopeo 1.9 (scripts/install-system-deps.sh): whole images, both ways.

const rsa = rsaKeyPair()
const ecKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const ec = {
  publicPem: ecKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  privatePem: ecKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
}

let dir: string
let registry: LocalRegistry
const keyFiles: Record<string, string> = {}

before(async () => {
  dir = await scratchDir('carapace-skopeo-pipeline-')
  registry = await startRegistry()
  for (const [name, text] of Object.entries({
    'rsa-pub.pem': rsa.publicPem,
    'rsa-priv.pem': rsa.privatePem,
    'ec-pub.pem': ec.publicPem,
    'ec-priv.pem': ec.privatePem,
  })) {
    keyFiles[name] = join(dir, name)
    await writeFile(join(dir, name), text)
  }
})
after(async () => {
  await registry.stop()
  await removeScratchDirs()
})

async function layerTypes(layout: string): Promise<{ mediaType: string; digest: string }[]> {
  const raw = await new LayoutSource(layout, 'v1').getManifest()
  const parsed = parseManifest(raw.bytes, raw.mediaType)
  assert.equal(parsed.kind, 'manifest')
  return parsed.manifest.layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest }))
}

describe('skopeo 1.9 and our pipelines', () => {
  test('skopeo copy --decryption-key opens our image (RSA and EC recipients): the plaintext layers come back bit for bit', async () => {
    const plain = join(dir, 'plain')
    await writeTestImage(plain, 'v1', [FILES, MORE_FILES])
    await encryptImage({
      source: new LayoutSource(plain, 'v1'),
      destination: new LayoutDestination(join(dir, 'ours'), 'v1'),
      wrappers: [jweKeyWrapper([parsePublicKey(rsa.publicPem), parsePublicKey(ec.publicPem)])],
    })
    for (const key of ['rsa-priv.pem', 'ec-priv.pem']) {
      const out = join(dir, `skopeo-dec-${key}`)
      await skopeo(['copy', '--decryption-key', keyFiles[key] ?? '', `oci:${join(dir, 'ours')}:v1`, `oci:${out}:v1`])
      assert.deepEqual(await layerTypes(out), await layerTypes(plain), key)
    }
  })

  test('an image skopeo encrypted with --encryption-key jwe: pulls with ours (layout, zstd-recompressed, registry)', async () => {
    const plain = join(dir, 'plain2')
    await writeTestImage(plain, 'v1', [FILES, MORE_FILES])
    const encLayout = join(dir, 'skopeo-enc')
    await skopeo([
      'copy',
      '--encryption-key',
      `jwe:${keyFiles['rsa-pub.pem'] ?? ''}`,
      `oci:${plain}:v1`,
      `oci:${encLayout}:v1`,
    ])
    assert.ok((await layerTypes(encLayout)).every((l) => l.mediaType.endsWith('+encrypted')))
    const unwrappers = [jweKeyUnwrapper([parsePrivateKey(rsa.privatePem)])]
    const fromLayout = join(dir, 'pulled-layout')
    const ref = parseImageReference(`oci:${encLayout}:v1`)
    await pullImage({
      source: openImageSource(ref),
      reference: ref,
      dest: fromLayout,
      policy: { policy: acceptAnything() },
      unwrappers,
    })
    assert.equal(await readFile(join(fromLayout, 'rootfs', 'hello.txt'), 'utf8'), 'hello from an encrypted layer\n')
    assert.equal(await readFile(join(fromLayout, 'rootfs', 'data', 'secret.txt'), 'utf8'), 'second layer secret\n')

    // skopeo recompresses to zstd before encrypting: privopts.digest names the gzip source, the
    // diff_ids still anchor the plaintext (spec finding 7).
    const zstdLayout = join(dir, 'skopeo-zstd')
    await skopeo([
      'copy',
      '--dest-compress',
      '--dest-compress-format',
      'zstd',
      '--encryption-key',
      `jwe:${keyFiles['rsa-pub.pem'] ?? ''}`,
      `oci:${plain}:v1`,
      `oci:${zstdLayout}:v1`,
    ])
    assert.ok((await layerTypes(zstdLayout)).every((l) => l.mediaType.endsWith('+zstd+encrypted')))
    const zstdRef = parseImageReference(`oci:${zstdLayout}:v1`)
    const fromZstd = join(dir, 'pulled-zstd')
    await pullImage({
      source: openImageSource(zstdRef),
      reference: zstdRef,
      dest: fromZstd,
      policy: { policy: acceptAnything() },
      unwrappers,
    })
    assert.equal(await readFile(join(fromZstd, 'rootfs', 'data', 'secret.txt'), 'utf8'), 'second layer secret\n')

    const remote = `docker://${registry.host}/coco/skopeo-enc:v1`
    await skopeo([
      'copy',
      '--dest-tls-verify=false',
      '--encryption-key',
      `jwe:${keyFiles['ec-pub.pem'] ?? ''}`,
      `oci:${plain}:v1`,
      remote,
    ])
    const remoteRef = parseImageReference(remote)
    const fromRegistry = join(dir, 'pulled-registry')
    await pullImage({
      source: openImageSource(remoteRef, { registry: { tlsVerify: false } }),
      reference: remoteRef,
      dest: fromRegistry,
      policy: { policy: acceptAnything() },
      unwrappers: [jweKeyUnwrapper([parsePrivateKey(ec.privatePem)])],
    })
    assert.equal(await readFile(join(fromRegistry, 'rootfs', 'hello.txt'), 'utf8'), 'hello from an encrypted layer\n')
  })
})
