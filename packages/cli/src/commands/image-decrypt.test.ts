import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import { gzipSync } from 'node:zlib'
import { LayoutDestination, LayoutSource, OCI_CONFIG, OCI_MANIFEST, parseManifest } from '@carapace/image'
import { captureIo } from '../captured-io.ts'
import { main } from '../main.ts'

// `carapace image decrypt`: the round trip with `image encrypt`, and its failures.

async function run(...argv: string[]) {
  const io = captureIo()
  const code = await main(argv, io)
  return { code, out: io.out(), err: io.err() }
}

let dir: string
let plain: string
let pubPem: string
let privPem: string
let otherPriv: string
let layerDigest: string
let manifestDigest: string

/** A key of another kind than the recipient's (EC vs RSA): it opens nothing. */
function ecPrivatePem(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'carapace-cli-decrypt-'))
  plain = join(dir, 'plain')
  const dest = new LayoutDestination(plain, 'v1')
  // not a valid tar: decrypt neither decompresses nor unpacks
  const blob = await dest.putBlob(Readable.from([gzipSync(Buffer.from('layer bytes'))]))
  layerDigest = blob.digest
  const config = await dest.putBlob(Readable.from([Buffer.from('{"rootfs":{"type":"layers","diff_ids":[]}}')]))
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: config.digest, size: config.size },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: blob.digest, size: blob.size }],
  }
  manifestDigest = await dest.putManifest({ bytes: Buffer.from(JSON.stringify(manifest)), mediaType: OCI_MANIFEST })
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  pubPem = join(dir, 'pub.pem')
  privPem = join(dir, 'priv.pem')
  otherPriv = join(dir, 'other.pem')
  await writeFile(pubPem, publicKey.export({ type: 'spki', format: 'pem' }))
  await writeFile(privPem, privateKey.export({ type: 'pkcs8', format: 'pem' }))
  await writeFile(otherPriv, ecPrivatePem())
  const e = await run(
    'image',
    'encrypt',
    `oci:${plain}:v1`,
    `oci:${join(dir, 'enc')}:v1`,
    '--recipient',
    `jwe:${pubPem}`,
  )
  assert.equal(e.code, 0, e.err)
})
after(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('carapace image decrypt', () => {
  test('decrypts what image encrypt made: the plain image again, digest for digest', async () => {
    const out = join(dir, 'dec')
    const d = await run('image', 'decrypt', `oci:${join(dir, 'enc')}:v1`, `oci:${out}:v1`, '--decryption-key', privPem)
    assert.equal(d.code, 0, d.err)
    assert.match(d.out, /Decrypted 1 layer\(s\)/)
    assert.ok(d.out.includes(`→ ${layerDigest} (jwe)`), d.out)
    assert.ok(d.out.includes(manifestDigest), d.out)
    const raw = await new LayoutSource(out, 'v1').getManifest()
    const parsed = parseManifest(raw.bytes, raw.mediaType)
    assert.equal(parsed.kind, 'manifest')
    const [layer] = parsed.manifest.layers
    assert.ok(layer !== undefined)
    assert.equal(layer.mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip')
    assert.equal(layer.annotations, undefined)
    const index = JSON.parse(await readFile(join(out, 'index.json'), 'utf8')) as { manifests: unknown[] }
    assert.equal(index.manifests.length, 1)
  })

  test('wrong key, no key flag, bad flags: exit 1 with the code, or usage (2); nothing tagged', async () => {
    const enc = `oci:${join(dir, 'enc')}:v1`
    const wrong = await run('image', 'decrypt', enc, `oci:${join(dir, 'wrong')}:v1`, '--decryption-key', otherPriv)
    assert.equal(wrong.code, 1)
    assert.match(wrong.err, /\(WRONG_KEY\)/)
    await assert.rejects(new LayoutSource(join(dir, 'wrong'), 'v1').getManifest())
    assert.equal((await run('image', 'decrypt', enc, `oci:${join(dir, 'x')}:v1`)).code, 2)
    assert.equal((await run('image', 'decrypt', enc, '--decryption-key', privPem)).code, 2)
    const layer = await run(
      'image',
      'decrypt',
      enc,
      `oci:${join(dir, 'x')}:v1`,
      '--decryption-key',
      privPem,
      '--layer',
      '3',
    )
    assert.equal(layer.code, 1)
    assert.match(layer.err, /INVALID_ARGUMENT/)
    const missing = await run(
      'image',
      'decrypt',
      enc,
      `oci:${join(dir, 'x')}:v1`,
      '--decryption-key',
      join(dir, 'nope'),
    )
    assert.equal(missing.code, 1)
    assert.match(missing.err, /no such file/)
  })

  test('--help names the command and its skopeo equivalent', async () => {
    const h = await run('image', 'decrypt', '--help')
    assert.equal(h.code, 0)
    assert.match(h.out, /skopeo copy --decryption-key/)
  })
})
