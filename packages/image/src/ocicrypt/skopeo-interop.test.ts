import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import { jweKeyUnwrapper, jweKeyWrapper } from './jwe-key-wrapper.ts'
import type { KeyUnwrapper } from './key-wrapper.ts'
import { parsePrivateKey, parsePublicKey } from './key-material.ts'
import { decryptLayer } from './layer-decrypt.ts'
import type { LayerDescriptor } from './layer-descriptor.ts'
import { encryptLayer } from './layer-encrypt.ts'
import { isEncryptedMediaType } from './media-types.ts'
import { FIXTURES, blobStream, expectedLayers, fixtureText, layoutLayers } from './test-vectors.ts'

// Interop with the real peer: Debian's skopeo (installed by scripts/install-system-deps.sh).
const skopeo = spawnSync('skopeo', ['--version'], { encoding: 'utf8' })

const keyPath = (name: string): string => fileURLToPath(new URL(`keys/${name}`, FIXTURES))
const rsa = parsePrivateKey(fixtureText('keys/jwe-rsa-priv.pem'))

function sha256(b: Buffer): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`
}

function collect(into: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      into.push(chunk)
      callback()
    },
  })
}

/** Minimal OCI image layout: blobs, one manifest tagged `v1`. */
class Layout {
  readonly dir: string
  constructor(dir: string) {
    this.dir = dir
    mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true })
    writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}')
  }
  put(bytes: Buffer): string {
    const digest = sha256(bytes)
    writeFileSync(join(this.dir, 'blobs', 'sha256', digest.slice(7)), bytes)
    return digest
  }
  get(digest: string): Buffer {
    return readFileSync(join(this.dir, 'blobs', 'sha256', digest.slice(7)))
  }
  writeManifest(config: LayerDescriptor, layers: LayerDescriptor[]): void {
    const mediaType = 'application/vnd.oci.image.manifest.v1+json'
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, config, layers }))
    const digest = this.put(manifest)
    const ref = { 'org.opencontainers.image.ref.name': 'v1' }
    const index = { schemaVersion: 2, manifests: [{ mediaType, digest, size: manifest.length, annotations: ref }] }
    writeFileSync(join(this.dir, 'index.json'), JSON.stringify(index))
  }
  manifest(): { config: LayerDescriptor; layers: LayerDescriptor[] } {
    const index = JSON.parse(readFileSync(join(this.dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] }
    return JSON.parse(this.get(index.manifests[0]?.digest ?? '').toString()) as {
      config: LayerDescriptor
      layers: LayerDescriptor[]
    }
  }
}

function runSkopeo(args: string[]): void {
  const r = spawnSync('skopeo', ['--insecure-policy', ...args], { encoding: 'utf8', timeout: 60_000 })
  assert.equal(r.status, 0, `skopeo ${args.join(' ')}: ${r.stderr}`)
}

async function decryptBlob(layer: LayerDescriptor, blob: Buffer, unwrappers: KeyUnwrapper[]): Promise<Buffer> {
  const d = await decryptLayer(layer, unwrappers)
  const out: Buffer[] = []
  await pipeline(Readable.from([blob]), d.stream, collect(out))
  await d.verified
  return Buffer.concat(out)
}

/** The two-layer vector image in the clear: [layer blob, its descriptor], plus its config. */
async function plainImage(): Promise<{
  config: LayerDescriptor
  layers: { blob: Buffer; descriptor: LayerDescriptor }[]
}> {
  const layers = []
  for (const layer of layoutLayers('enc-jwe-lastlayer')) {
    const raw: Buffer[] = []
    await pipeline(blobStream('enc-jwe-lastlayer', layer.digest), collect(raw))
    let blob: Buffer = Buffer.concat(raw)
    let mediaType = layer.mediaType
    if (isEncryptedMediaType(mediaType)) {
      blob = await decryptBlob(layer, blob, [jweKeyUnwrapper([rsa])])
      mediaType = mediaType.replace(/\+encrypted$/, '')
    }
    layers.push({ blob, descriptor: { mediaType, digest: sha256(blob), size: blob.length } })
  }
  const manifest = JSON.parse(
    fixtureText(
      'layouts/enc-jwe-lastlayer/blobs/sha256/d5067b5c58bc67de97b33c58ca35ab917749319edda7b777aaab1365d869f4fb',
    ),
  ) as {
    config: LayerDescriptor
  }
  return { config: manifest.config, layers }
}

describe('interop with skopeo (Debian 1.9, go-jose v2)', () => {
  before(() => {
    // A missing peer is a failure, not a skip: CI installs it (scripts/install-system-deps.sh).
    assert.equal(skopeo.status, 0, 'skopeo is not installed (scripts/install-system-deps.sh installs it)')
  })

  test('skopeo --decryption-key opens layers we encrypted (general JWE for RSA+EC), either key', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'carapace-ocicrypt-'))
    try {
      const image = await plainImage()
      const expected = expectedLayers('enc-jwe-lastlayer').map((l) => l.plaintextDigest ?? l.digest)
      assert.deepEqual(
        image.layers.map((l) => l.descriptor.digest),
        expected,
      )
      const enc = new Layout(join(tmp, 'enc'))
      enc.put(
        Buffer.from(
          fixtureText(
            'layouts/enc-jwe-lastlayer/blobs/sha256/58d0c10da81e423550fe89954596ca0bbf8ad215c04eda25788be7cd84d31d20',
          ),
        ),
      )
      const recipients = jweKeyWrapper([
        parsePublicKey(fixtureText('keys/jwe-rsa-pub.pem')),
        parsePublicKey(fixtureText('keys/jwe-ec-pub.pem')),
      ])
      const encrypted: LayerDescriptor[] = []
      for (const { blob, descriptor } of image.layers) {
        const e = await encryptLayer(Readable.from([blob]), descriptor, [recipients])
        const out: Buffer[] = []
        await pipeline(e.stream, collect(out))
        encrypted.push(await e.finalize())
        enc.put(Buffer.concat(out))
      }
      enc.writeManifest(image.config, encrypted)

      for (const key of ['jwe-rsa-priv.pem', 'jwe-ec-priv.pem']) {
        const outDir = join(tmp, `out-${key}`)
        runSkopeo(['copy', '--decryption-key', keyPath(key), `oci:${enc.dir}:v1`, `oci:${outDir}:v1`])
        const out = new Layout(outDir).manifest()
        assert.deepEqual(
          out.layers.map((l) => [l.mediaType, l.digest, l.annotations]),
          image.layers.map((l) => [l.descriptor.mediaType, l.descriptor.digest, undefined]),
        )
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true })
    }
  })

  test('we decrypt what skopeo encrypts right now (RSA and EC recipients)', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'carapace-ocicrypt-'))
    try {
      const image = await plainImage()
      const plain = new Layout(join(tmp, 'plain'))
      plain.put(
        Buffer.from(
          fixtureText(
            'layouts/enc-jwe-lastlayer/blobs/sha256/58d0c10da81e423550fe89954596ca0bbf8ad215c04eda25788be7cd84d31d20',
          ),
        ),
      )
      for (const l of image.layers) plain.put(l.blob)
      plain.writeManifest(
        image.config,
        image.layers.map((l) => l.descriptor),
      )
      const encDir = join(tmp, 'enc')
      runSkopeo([
        'copy',
        '--encryption-key',
        `jwe:${keyPath('jwe-rsa-pub.pem')}`,
        '--encryption-key',
        `jwe:${keyPath('jwe-ec-pub.pem')}`,
        `oci:${plain.dir}:v1`,
        `oci:${encDir}:v1`,
      ])
      const enc = new Layout(encDir)
      const layers = enc.manifest().layers
      assert.equal(layers.length, 2)
      for (const [i, layer] of layers.entries()) {
        assert.ok(isEncryptedMediaType(layer.mediaType))
        for (const keyFile of ['jwe-rsa-priv.pem', 'jwe-ec-priv.pem']) {
          const key = parsePrivateKey(readFileSync(keyPath(keyFile)))
          const clear = await decryptBlob(layer, enc.get(layer.digest), [jweKeyUnwrapper([key])])
          assert.equal(sha256(clear), image.layers[i]?.descriptor.digest)
        }
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true })
    }
  })
})
