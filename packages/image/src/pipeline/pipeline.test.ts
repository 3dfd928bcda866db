import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { after, describe, test } from 'node:test'
import { LayoutDestination } from '../layout/layout-destination.ts'
import { LayoutSource } from '../layout/layout-source.ts'
import { sha256Digest } from '../manifest/digest.ts'
import type { BlobInfo, ImageSource } from '../manifest/image-transport.ts'
import { parseManifest, type ImageManifest } from '../manifest/manifest.ts'
import { OCI_INDEX, OCI_MANIFEST } from '../manifest/media-types.ts'
import { jweKeyUnwrapper, jweKeyWrapper } from '../ocicrypt/jwe-key-wrapper.ts'
import { parsePrivateKey, parsePublicKey } from '../ocicrypt/key-material.ts'
import { PUBOPTS_ANNOTATION } from '../ocicrypt/annotations.ts'
import { parseOciLayoutReference } from '../reference/image-reference.ts'
import { parsePolicy } from '../signature/policy-parse.ts'
import { signImage } from '../signature/sign-image.ts'
import type { Policy } from '../signature/policy-types.ts'
import { cdhKeyUnwrapper } from './cdh-resources.ts'
import { encryptImage } from './encrypt-image.ts'
import { kbsRecipient } from './kbs-recipient.ts'
import { pullImage } from './pull-image.ts'
import type { KeyUnwrapper } from '../ocicrypt/key-wrapper.ts'
import {
  acceptAnything,
  FILES,
  MORE_FILES,
  rejectAll,
  removeScratchDirs,
  rsaKeyPair,
  scratchDir,
  writeTestImage,
} from './test-image.ts'

after(removeScratchDirs)

const keys = rsaKeyPair()
const wrapper = jweKeyWrapper([parsePublicKey(keys.publicPem)])
const unwrapper = jweKeyUnwrapper([parsePrivateKey(keys.privatePem)])

/** An ImageSource that records which blobs were asked for. */
function recording(source: ImageSource): { source: ImageSource; blobs: string[] } {
  const blobs: string[] = []
  return {
    blobs,
    source: {
      name: source.name,
      getManifest: (ref) => source.getManifest(ref),
      getBlob: (blob: BlobInfo) => {
        blobs.push(blob.digest)
        return source.getBlob(blob)
      },
      listTags: () => source.listTags(),
      close: () => source.close(),
    },
  }
}

async function manifestOf(dir: string, tag: string): Promise<ImageManifest> {
  const raw = await new LayoutSource(dir, tag).getManifest()
  const parsed = parseManifest(raw.bytes, raw.mediaType)
  assert.equal(parsed.kind, 'manifest')
  return parsed.manifest
}

async function encryptedFixture(layers = [FILES, MORE_FILES]): Promise<{ dir: string; plain: string; enc: string }> {
  const dir = await scratchDir()
  const plain = join(dir, 'plain')
  const enc = join(dir, 'enc')
  await writeTestImage(plain, 'v1', layers)
  await encryptImage({
    source: new LayoutSource(plain, 'v1'),
    destination: new LayoutDestination(enc, 'v1'),
    wrappers: [wrapper],
  })
  return { dir, plain, enc }
}

async function pull(
  layout: string,
  dest: string,
  unwrappers: readonly KeyUnwrapper[],
  policy: Policy = acceptAnything(),
  source?: ImageSource,
) {
  return pullImage({
    source: source ?? new LayoutSource(layout, 'v1'),
    reference: parseOciLayoutReference(`${layout}:v1`),
    dest,
    policy: { policy },
    unwrappers,
  })
}

async function assertNothingLeft(dir: string, dest: string): Promise<void> {
  const names = await readdir(dir)
  assert.ok(!names.includes('out'), `${dest} must not exist`)
  assert.deepEqual(
    names.filter((n) => n.startsWith('.')),
    [],
    'no staging directory left',
  )
}

describe('encryptImage', () => {
  test('encrypts every layer: +encrypted types, ocicrypt annotations, config untouched', async () => {
    const { plain, enc } = await encryptedFixture()
    const before = await manifestOf(plain, 'v1')
    const after = await manifestOf(enc, 'v1')
    assert.equal(after.mediaType, OCI_MANIFEST)
    assert.deepEqual(after.config, before.config)
    assert.equal(after.layers.length, 2)
    for (const [i, layer] of after.layers.entries()) {
      assert.equal(layer.mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip+encrypted')
      assert.notEqual(layer.digest, before.layers[i]?.digest)
      assert.equal(layer.size, before.layers[i]?.size, 'CTR keeps the length')
      assert.ok(layer.annotations?.[PUBOPTS_ANNOTATION] !== undefined)
      assert.match(layer.annotations['org.opencontainers.image.enc.keys.jwe'] ?? '', /^eyJ/)
    }
  })

  test('--layer selects layers (negative from the end); out of range is refused', async () => {
    const dir = await scratchDir()
    await writeTestImage(join(dir, 'plain'), 'v1', [FILES, MORE_FILES])
    await encryptImage({
      source: new LayoutSource(join(dir, 'plain'), 'v1'),
      destination: new LayoutDestination(join(dir, 'enc'), 'v1'),
      wrappers: [wrapper],
      layers: [-1],
    })
    const m = await manifestOf(join(dir, 'enc'), 'v1')
    assert.equal(m.layers[0]?.mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip')
    assert.equal(m.layers[1]?.mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip+encrypted')
    await assert.rejects(
      encryptImage({
        source: new LayoutSource(join(dir, 'plain'), 'v1'),
        destination: new LayoutDestination(join(dir, 'enc2'), 'v1'),
        wrappers: [wrapper],
        layers: [2],
      }),
      { code: 'INVALID_ARGUMENT' },
    )
  })

  test('an index: every platform encrypted, a new index written; pull picks --platform', async () => {
    const dir = await scratchDir()
    const plain = join(dir, 'plain')
    const amd = await writeTestImage(plain, 'amd', [FILES])
    const arm = await writeTestImage(plain, 'arm', [MORE_FILES.slice(0, 2)])
    const layout = new LayoutSource(plain, 'amd')
    const sizeOf = async (digest: string): Promise<number> => (await layout.getManifest(digest)).bytes.length
    const index = {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        {
          mediaType: OCI_MANIFEST,
          digest: amd.manifestDigest,
          size: await sizeOf(amd.manifestDigest),
          platform: { os: 'linux', architecture: 'amd64' },
        },
        {
          mediaType: OCI_MANIFEST,
          digest: arm.manifestDigest,
          size: await sizeOf(arm.manifestDigest),
          platform: { os: 'linux', architecture: 'arm64' },
        },
      ],
    }
    await new LayoutDestination(plain, 'multi').putManifest({
      bytes: Buffer.from(JSON.stringify(index)),
      mediaType: OCI_INDEX,
    })
    const enc = join(dir, 'enc')
    const result = await encryptImage({
      source: new LayoutSource(plain, 'multi'),
      destination: new LayoutDestination(enc, 'v1'),
      wrappers: [wrapper],
    })
    assert.equal(result.images.length, 2)
    const top = await new LayoutSource(enc, 'v1').getManifest()
    const parsed = parseManifest(top.bytes, top.mediaType)
    assert.ok(parsed.kind === 'index')
    assert.deepEqual(
      parsed.index.manifests.map((m) => m.platform?.architecture),
      ['amd64', 'arm64'],
    )
    const pulled = await pullImage({
      source: new LayoutSource(enc, 'v1'),
      reference: parseOciLayoutReference(`${enc}:v1`),
      dest: join(dir, 'out'),
      policy: { policy: acceptAnything() },
      unwrappers: [unwrapper],
      platform: { os: 'linux', architecture: 'arm64' },
    })
    assert.equal(pulled.manifestDigest, top.digest)
    assert.equal(pulled.imageManifestDigest, result.images[1]?.manifestDigest)
    assert.equal(await readFile(join(dir, 'out', 'rootfs', 'data', 'secret.txt'), 'utf8'), 'second layer secret\n')
  })

  test('a source blob that does not match its digest: DIGEST_MISMATCH, no manifest written', async () => {
    const dir = await scratchDir()
    const plain = join(dir, 'plain')
    const image = await writeTestImage(plain, 'v1', [FILES])
    const path = join(plain, 'blobs', 'sha256', image.layerDigests[0]?.slice(7) ?? '')
    const blob = await readFile(path)
    blob[20] = (blob[20] ?? 0) ^ 0xff
    await writeFile(path, blob)
    await assert.rejects(
      encryptImage({
        source: new LayoutSource(plain, 'v1'),
        destination: new LayoutDestination(join(dir, 'enc'), 'v1'),
        wrappers: [wrapper],
      }),
      { code: 'DIGEST_MISMATCH' },
    )
    await assert.rejects(new LayoutSource(join(dir, 'enc'), 'v1').getManifest())
  })

  test('a KEK that cannot be registered stops everything before a byte is written', async () => {
    const dir = await scratchDir()
    await assert.rejects(
      kbsRecipient({
        store: { register: () => Promise.reject(new Error('KBS said 401')) },
        keyPath: 'default/image-kek/app',
      }),
      { code: 'KEK_REGISTER_FAILED', message: /KBS said 401/ },
    )
    await assert.rejects(kbsRecipient({ store: { register: () => Promise.resolve() }, keyPath: 'x/../y' }), {
      code: 'INVALID_ARGUMENT',
    })
    assert.deepEqual(await readdir(dir), [])
  })
})

describe('pullImage', () => {
  test('JWE-encrypted image: decrypted, verified, unpacked; config.json and manifest.json written', async () => {
    const { dir, enc } = await encryptedFixture()
    const dest = join(dir, 'out')
    const result = await pull(enc, dest, [unwrapper])
    assert.equal(await readFile(join(dest, 'rootfs', 'hello.txt'), 'utf8'), 'hello from an encrypted layer\n')
    assert.equal(await readFile(join(dest, 'rootfs', 'data', 'secret.txt'), 'utf8'), 'second layer secret\n')
    await assert.rejects(readFile(join(dest, 'rootfs', 'etc', 'hostname')), { code: 'ENOENT' }, 'whiteout applied')
    const config = JSON.parse(await readFile(join(dest, 'config.json'), 'utf8')) as { rootfs: { diff_ids: string[] } }
    assert.deepEqual(
      config.rootfs.diff_ids,
      result.layers.map((l) => l.diffId),
    )
    assert.equal(sha256Digest(await readFile(join(dest, 'manifest.json'))), result.imageManifestDigest)
    assert.deepEqual(
      result.layers.map((l) => l.unwrappedBy),
      ['jwe', 'jwe'],
    )
    assert.equal(result.policy.scope, 'default')
    assert.deepEqual(
      (await readdir(dir)).filter((n) => n.startsWith('.')),
      [],
    )
  })

  test('plain layers pull without keys', async () => {
    const dir = await scratchDir()
    await writeTestImage(join(dir, 'plain'), 'v1', [FILES])
    await pull(join(dir, 'plain'), join(dir, 'out'), [])
    assert.equal(await readFile(join(dir, 'out', 'rootfs', 'etc', 'hostname'), 'utf8'), 'coco-test\n')
  })

  test('policy reject: refused before any blob is fetched, nothing left', async () => {
    const { dir, enc } = await encryptedFixture()
    const rec = recording(new LayoutSource(enc, 'v1'))
    await assert.rejects(pull(enc, join(dir, 'out'), [unwrapper], rejectAll(), rec.source), { code: 'REJECTED' })
    assert.deepEqual(rec.blobs, [])
    await assertNothingLeft(dir, 'out')
  })

  test('missing key: NO_KEY_FOR_LAYER before any layer is fetched; wrong key: WRONG_KEY', async () => {
    const { dir, enc } = await encryptedFixture()
    const rec = recording(new LayoutSource(enc, 'v1'))
    await assert.rejects(pull(enc, join(dir, 'out'), [], acceptAnything(), rec.source), { code: 'NO_KEY_FOR_LAYER' })
    const m = await manifestOf(enc, 'v1')
    assert.deepEqual(rec.blobs, [m.config.digest], 'only the config was read')
    const other = rsaKeyPair()
    await assert.rejects(pull(enc, join(dir, 'out'), [jweKeyUnwrapper([parsePrivateKey(other.privatePem)])]), {
      code: 'WRONG_KEY',
    })
    await assertNothingLeft(dir, 'out')
  })

  test('tampered ciphertext (digest re-announced): HMAC_MISMATCH, nothing left', async () => {
    const { dir, enc } = await encryptedFixture([FILES])
    const m = await manifestOf(enc, 'v1')
    const layer = m.layers[0]
    assert.ok(layer !== undefined)
    const blob = await readFile(join(enc, 'blobs', 'sha256', layer.digest.slice(7)))
    blob[blob.length - 1] = (blob[blob.length - 1] ?? 0) ^ 1
    const dest = new LayoutDestination(enc, 'v1')
    const info = await dest.putBlob(Readable.from([blob]))
    const tampered = { ...m, layers: [{ ...layer, digest: info.digest }] }
    await dest.putManifest({ bytes: Buffer.from(JSON.stringify(tampered)), mediaType: OCI_MANIFEST })
    // verify-first: the HMAC is checked over the whole ciphertext before decryption starts
    await assert.rejects(pull(enc, join(dir, 'out'), [unwrapper]), { code: 'HMAC_MISMATCH' })
    await assertNothingLeft(dir, 'out')
  })

  test('blob that does not match its digest: DIGEST_MISMATCH, nothing left', async () => {
    const { dir, enc } = await encryptedFixture([FILES])
    const m = await manifestOf(enc, 'v1')
    const path = join(enc, 'blobs', 'sha256', m.layers[0]?.digest.slice(7) ?? '')
    const blob = await readFile(path)
    blob[100] = (blob[100] ?? 0) ^ 0xff
    await writeFile(path, blob)
    await assert.rejects(pull(enc, join(dir, 'out'), [unwrapper]), { code: 'DIGEST_MISMATCH' })
    await assertNothingLeft(dir, 'out')
  })

  test('diff_id that does not match the decrypted layer: DIFF_ID_MISMATCH, nothing left', async () => {
    const dir = await scratchDir()
    const plain = join(dir, 'plain')
    await writeTestImage(plain, 'v1', [FILES], { diffIds: [`sha256:${'0'.repeat(64)}`] })
    await encryptImage({
      source: new LayoutSource(plain, 'v1'),
      destination: new LayoutDestination(join(dir, 'enc'), 'v1'),
      wrappers: [wrapper],
    })
    await assert.rejects(pull(join(dir, 'enc'), join(dir, 'out'), [unwrapper]), { code: 'DIFF_ID_MISMATCH' })
    await assertNothingLeft(dir, 'out')
  })

  test('diff_ids that do not fit the layers, and a destination in use, are refused', async () => {
    const dir = await scratchDir()
    await writeTestImage(join(dir, 'plain'), 'v1', [FILES], { diffIds: [] })
    await assert.rejects(pull(join(dir, 'plain'), join(dir, 'out'), []), { code: 'INVALID_CONFIG' })
    await writeTestImage(join(dir, 'ok'), 'v1', [FILES])
    await mkdir(join(dir, 'busy'))
    await writeFile(join(dir, 'busy', 'keep'), 'mine')
    await assert.rejects(pull(join(dir, 'ok'), join(dir, 'busy'), []), { code: 'DEST_EXISTS' })
    assert.equal(await readFile(join(dir, 'busy', 'keep'), 'utf8'), 'mine')
  })

  test('an aborted pull (SIGINT in the CLI) stops and leaves nothing', async () => {
    const { dir, enc } = await encryptedFixture()
    const abort = new AbortController()
    abort.abort()
    await assert.rejects(
      pullImage({
        source: new LayoutSource(enc, 'v1'),
        reference: parseOciLayoutReference(`${enc}:v1`),
        dest: join(dir, 'out'),
        policy: { policy: acceptAnything() },
        unwrappers: [unwrapper],
        signal: abort.signal,
      }),
      { code: 'ABORTED' },
    )
    await assertNothingLeft(dir, 'out')
  })

  test('KBS-held key: packet kid resolved through the CDH fetcher; a denied fetch leaves nothing', async () => {
    const dir = await scratchDir()
    const kbs = new Map<string, Uint8Array>()
    const recipient = await kbsRecipient({
      store: {
        register: (path, kek) => {
          kbs.set(path, kek)
          return Promise.resolve()
        },
      },
      keyPath: 'default/image-kek/app',
    })
    await writeTestImage(join(dir, 'plain'), 'v1', [FILES])
    await encryptImage({
      source: new LayoutSource(join(dir, 'plain'), 'v1'),
      destination: new LayoutDestination(join(dir, 'enc'), 'v1'),
      wrappers: [recipient],
    })
    const m = await manifestOf(join(dir, 'enc'), 'v1')
    assert.ok(m.layers[0]?.annotations?.['org.opencontainers.image.enc.keys.provider.attestation-agent'] !== undefined)
    const asked: string[] = []
    const fetchResource = (uri: string): Promise<Uint8Array> => {
      asked.push(uri)
      const kek = kbs.get('default/image-kek/app')
      return kek === undefined ? Promise.reject(new Error('no')) : Promise.resolve(kek)
    }
    const result = await pull(join(dir, 'enc'), join(dir, 'out'), [cdhKeyUnwrapper(fetchResource)])
    assert.deepEqual(asked, ['kbs:///default/image-kek/app'])
    assert.equal(result.layers[0]?.unwrappedBy, 'provider.attestation-agent')
    const denied = cdhKeyUnwrapper(() => Promise.reject(new Error('CDH refused resource: HTTP 401')))
    await assert.rejects(pull(join(dir, 'enc'), join(dir, 'out2'), [denied]), { code: 'KEY_UNWRAP_FAILED' })
    assert.ok(!(await readdir(dir)).includes('out2'))
  })

  test('signature policy: a cosign-signed encrypted image passes; unsigned or wrongly signed ones leave nothing', async () => {
    const { dir, enc } = await encryptedFixture([FILES])
    const signer = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const policyFor = (pub: string): Policy =>
      parsePolicy(
        JSON.stringify({
          default: [
            {
              type: 'sigstoreSigned',
              keyData: Buffer.from(pub).toString('base64'),
              signedIdentity: { type: 'exactReference', dockerReference: 'registry.example/app:v1' },
            },
          ],
        }),
      )
    const pub = (k: typeof signer): string => k.publicKey.export({ type: 'spki', format: 'pem' }).toString()
    await assert.rejects(pull(enc, join(dir, 'out'), [unwrapper], policyFor(pub(signer))), { code: 'NO_SIGNATURE' })
    await signImage({
      source: new LayoutSource(enc, 'v1'),
      destination: new LayoutDestination(enc),
      identity: 'registry.example/app:v1',
      privateKey: signer.privateKey,
    })
    await assert.rejects(pull(enc, join(dir, 'out'), [unwrapper], policyFor(pub(other))), { code: 'INVALID_SIGNATURE' })
    await assertNothingLeft(dir, 'out')
    const result = await pull(enc, join(dir, 'out'), [unwrapper], policyFor(pub(signer)))
    assert.equal(result.policy.accepted.length, 1)
    assert.equal(await readFile(join(dir, 'out', 'rootfs', 'hello.txt'), 'utf8'), 'hello from an encrypted layer\n')
  })
})
