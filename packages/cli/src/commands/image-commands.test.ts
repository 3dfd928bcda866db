import assert from 'node:assert/strict'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe, test } from 'node:test'
import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import {
  encodeKeyWrapRequest,
  LayoutDestination,
  OCI_CONFIG,
  OCI_MANIFEST,
  parseAnnotationPacket,
  parseKeyWrapResponse,
  sha256Digest,
} from '@carapace/image'
import { spawnSync } from 'node:child_process'
import { captureIo } from '../captured-io.ts'
import { main } from '../main.ts'
import { makeKeyproviderServe } from './keyprovider-serve.ts'
import { buildTar } from '@carapace/image/test-tar'

const FIXTURES = fileURLToPath(new URL('../../fixtures/image/', import.meta.url))

/** A ustar archive of regular files. */
function tar(files: Record<string, string>): Buffer {
  return buildTar(Object.entries(files).map(([name, data]) => ({ name, data, mode: 0o644 })))
}

async function writeImage(dir: string, files: Record<string, string>): Promise<void> {
  const dest = new LayoutDestination(dir, 'v1')
  const layer = tar(files)
  const blob = await dest.putBlob(Readable.from([gzipSync(layer)]))
  const config = Buffer.from(
    JSON.stringify({ os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: [sha256Digest(layer)] } }),
  )
  const c = await dest.putBlob(Readable.from([config]))
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: c.digest, size: c.size },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: blob.digest, size: blob.size }],
  }
  await dest.putManifest({ bytes: Buffer.from(JSON.stringify(manifest)), mediaType: OCI_MANIFEST })
}

async function run(...argv: string[]) {
  const io = captureIo()
  const code = await main(argv, io)
  return { code, out: io.out(), err: io.err() }
}

let dir: string
let plain: string
let acceptPolicy: string
let pubPem: string
let privPem: string

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'carapace-cli-image-'))
  plain = join(dir, 'plain')
  await writeImage(plain, { 'hello.txt': 'hello from the CLI test\n' })
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  pubPem = join(dir, 'pub.pem')
  privPem = join(dir, 'priv.pem')
  await writeFile(pubPem, publicKey.export({ type: 'spki', format: 'pem' }))
  await writeFile(privPem, privateKey.export({ type: 'pkcs8', format: 'pem' }))
  acceptPolicy = join(dir, 'accept.json')
  await writeFile(acceptPolicy, '{"default":[{"type":"insecureAcceptAnything"}]}')
})
after(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('carapace image encrypt / pull / sign', () => {
  test('encrypt for a JWE recipient, pull with the private key: files and config.json in DEST', async () => {
    const enc = `oci:${join(dir, 'enc')}:v1`
    const e = await run('image', 'encrypt', `oci:${plain}:v1`, enc, '--recipient', `jwe:${pubPem}`)
    assert.equal(e.code, 0, e.err)
    assert.match(e.out, /Encrypted 1 layer/)
    const dest = join(dir, 'out-jwe')
    const p = await run('image', 'pull', enc, '--dest', dest, '--policy', acceptPolicy, '--decryption-key', privPem)
    assert.equal(p.code, 0, p.err)
    assert.match(p.out, /decrypted, jwe/)
    assert.equal(await readFile(join(dest, 'rootfs', 'hello.txt'), 'utf8'), 'hello from the CLI test\n')
    const config = JSON.parse(await readFile(join(dest, 'config.json'), 'utf8')) as { os: string }
    assert.equal(config.os, 'linux')
  })

  test('pull without the key, or refused by policy: exit 1 with the code, DEST not created', async () => {
    const enc = `oci:${join(dir, 'enc2')}:v1`
    assert.equal((await run('image', 'encrypt', `oci:${plain}:v1`, enc, '--recipient', `jwe:${pubPem}`)).code, 0)
    const dest = join(dir, 'out-nokey')
    const p = await run('image', 'pull', enc, '--dest', dest, '--policy', acceptPolicy)
    assert.equal(p.code, 1)
    assert.match(p.err, /NO_KEY_FOR_LAYER/)
    const rejectPolicy = join(dir, 'reject.json')
    await writeFile(rejectPolicy, '{"default":[{"type":"reject"}]}')
    const r = await run('image', 'pull', enc, '--dest', dest, '--policy', rejectPolicy, '--decryption-key', privPem)
    assert.equal(r.code, 1)
    assert.match(r.err, /REJECTED/)
    assert.ok(!(await readdir(dir)).some((n) => n.includes('out-nokey')))
  })

  test('usage: no recipient, half the KBS flags, no policy choice conflicts → exit 2', async () => {
    const enc = `oci:${join(dir, 'never')}:v1`
    assert.equal((await run('image', 'encrypt', `oci:${plain}:v1`, enc)).code, 2)
    assert.equal((await run('image', 'encrypt', `oci:${plain}:v1`, enc, '--kbs', 'https://127.0.0.1:1')).code, 2)
    assert.equal((await run('image', 'encrypt', `oci:${plain}:v1`, enc, '--recipient', 'pgp:x')).code, 2)
    const p = await run('image', 'pull', enc, '--dest', join(dir, 'x'), '--policy', acceptPolicy, '--insecure-policy')
    assert.equal(p.code, 2)
    assert.ok(!(await readdir(dir)).includes('never'))
  })

  test('--kbs whose KEK cannot be registered: exit 1, nothing written', async () => {
    const { privateKey } = generateKeyPairSync('ed25519')
    const adminKey = join(dir, 'admin.pem')
    await writeFile(adminKey, privateKey.export({ type: 'pkcs8', format: 'pem' }))
    const e = await run(
      'image',
      'encrypt',
      `oci:${plain}:v1`,
      `oci:${join(dir, 'kbs-enc')}:v1`,
      '--kbs',
      'http://127.0.0.1:1',
      '--admin-key',
      adminKey,
      '--key-path',
      'default/image-kek/app',
    )
    assert.equal(e.code, 1)
    assert.match(e.err, /KEK_REGISTER_FAILED/)
    assert.ok(!(await readdir(dir)).includes('kbs-enc'))
  })

  test('sign with the skopeo-made cosign key; pull checks the sigstoreSigned policy', async () => {
    const enc = join(dir, 'signed')
    assert.equal(
      (await run('image', 'encrypt', `oci:${plain}:v1`, `oci:${enc}:v1`, '--recipient', `jwe:${pubPem}`)).code,
      0,
    )
    const s = await run(
      'image',
      'sign',
      `oci:${enc}:v1`,
      '--identity',
      'registry.example/app:v1',
      '--key',
      join(FIXTURES, 'sigstore.private'),
      '--passphrase-file',
      join(FIXTURES, 'sigstore.pass'),
    )
    assert.equal(s.code, 0, s.err)
    assert.match(s.out, /sha256-[0-9a-f]{64}\.sig/)
    const policyWith = async (name: string, keyPath: string): Promise<string> => {
      const file = join(dir, name)
      const identity = { type: 'exactReference', dockerReference: 'registry.example/app:v1' }
      await writeFile(
        file,
        JSON.stringify({ default: [{ type: 'sigstoreSigned', keyPath, signedIdentity: identity }] }),
      )
      return file
    }
    const good = await policyWith('good.json', join(FIXTURES, 'sigstore.pub'))
    const otherKey = join(dir, 'other.pub')
    await writeFile(
      otherKey,
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }),
    )
    const bad = await policyWith('bad.json', otherKey)
    const refused = await run(
      'image',
      'pull',
      `oci:${enc}:v1`,
      '--dest',
      join(dir, 'out-bad'),
      '--policy',
      bad,
      '--decryption-key',
      privPem,
    )
    assert.equal(refused.code, 1)
    assert.match(refused.err, /INVALID_SIGNATURE/)
    assert.ok(!(await readdir(dir)).includes('out-bad'))
    const ok = await run(
      'image',
      'pull',
      `oci:${enc}:v1`,
      '--dest',
      join(dir, 'out-signed'),
      '--policy',
      good,
      '--decryption-key',
      privPem,
    )
    assert.equal(ok.code, 0, ok.err)
    assert.match(ok.out, /accepted signatures: 1/)
  })
})

describe('carapace keyprovider serve + image encrypt --recipient provider: + image pull --cdh', () => {
  let cdh: Server
  let cdhUrl: string
  const kek = randomBytes(32)
  const asked: string[] = []

  before(async () => {
    cdh = createServer((req, res) => {
      asked.push(req.url ?? '')
      if (req.url === '/cdh/resource/default/image-kek/cli') res.writeHead(200).end(kek)
      else res.writeHead(404).end('no such resource')
    })
    await new Promise<void>((resolve) => cdh.listen(0, '127.0.0.1', resolve))
    cdhUrl = `http://127.0.0.1:${(cdh.address() as AddressInfo).port}`
  })
  after(() => {
    cdh.close()
  })

  test('the provider seals layer keys under a keypath KEK; the guest gets the KEK from the CDH', async () => {
    const kekFile = join(dir, 'kek.bin')
    await writeFile(kekFile, kek)
    let stop: (signal: string) => void = () => undefined
    const serve = makeKeyproviderServe(() => new Promise((resolve) => (stop = resolve)))
    const io = captureIo()
    const serving = serve.run(['--listen', '127.0.0.1:0', '--allow-keypath'], io)
    for (let i = 0; i < 100 && !io.out().includes('listening'); i++) await new Promise((r) => setTimeout(r, 20))
    const address = /listening on (\S+)/.exec(io.out())?.[1]
    assert.ok(address !== undefined, io.err())
    const config = join(dir, 'ocicrypt.json')
    await writeFile(config, JSON.stringify({ 'key-providers': { 'attestation-agent': { grpc: address } } }))
    const previous = process.env.OCICRYPT_KEYPROVIDER_CONFIG
    process.env.OCICRYPT_KEYPROVIDER_CONFIG = config
    try {
      const enc = `oci:${join(dir, 'kp-enc')}:v1`
      const e = await run(
        'image',
        'encrypt',
        `oci:${plain}:v1`,
        enc,
        '--recipient',
        `provider:attestation-agent:keypath=${kekFile}::keyid=kbs:///default/image-kek/cli::algorithm=A256GCM`,
      )
      assert.equal(e.code, 0, e.err)
      const p = await run(
        'image',
        'pull',
        enc,
        '--dest',
        join(dir, 'out-kp'),
        '--policy',
        acceptPolicy,
        '--cdh',
        cdhUrl,
      )
      assert.equal(p.code, 0, p.err)
      assert.match(p.out, /provider\.attestation-agent/)
      assert.deepEqual(asked, ['/cdh/resource/default/image-kek/cli'])
      assert.equal(await readFile(join(dir, 'out-kp', 'rootfs', 'hello.txt'), 'utf8'), 'hello from the CLI test\n')
      const denied = await run('image', 'pull', enc, '--dest', join(dir, 'out-kp2'), '--policy', acceptPolicy)
      assert.equal(denied.code, 1)
      assert.match(denied.err, /NO_KEY_FOR_LAYER/)
    } finally {
      if (previous === undefined) delete process.env.OCICRYPT_KEYPROVIDER_CONFIG
      else process.env.OCICRYPT_KEYPROVIDER_CONFIG = previous
      stop('SIGTERM')
      assert.equal(await serving, 0)
    }
  })
})

describe('carapace keyprovider cmd (a process, as ocicrypt runs it)', () => {
  const bin = fileURLToPath(new URL('../../bin/carapace.js', import.meta.url))

  test('answers a keywrap request on stdin with a CoCo packet; a bad request exits 1 with the reason', async () => {
    const kekFile = join(dir, 'cmd-kek.bin')
    await writeFile(kekFile, randomBytes(32))
    const params = `keypath=${kekFile}::keyid=kbs:///default/image-kek/cmd::algorithm=A256GCM`
    const request = encodeKeyWrapRequest({ 'attestation-agent': [Buffer.from(params)] }, Buffer.from('{"symkey":"x"}'))
    const ok = spawnSync(process.execPath, [bin, 'keyprovider', 'cmd', '--allow-keypath'], {
      input: request,
      encoding: 'utf8',
    })
    assert.equal(ok.status, 0, ok.stderr)
    const wrapped = parseKeyWrapResponse(ok.stdout)
    assert.ok(wrapped !== undefined)
    const packet = parseAnnotationPacket(wrapped)
    assert.equal(packet.kid, 'kbs:///default/image-kek/cmd')
    const bad = spawnSync(process.execPath, [bin, 'keyprovider', 'cmd'], { input: '{"op":"nope"}', encoding: 'utf8' })
    assert.equal(bad.status, 1)
    assert.match(bad.stderr, /BAD_REQUEST/)
    assert.equal(bad.stdout, '')
  })
})

describe('registry credentials', () => {
  test('--src-creds USER:PASS answers a Basic challenge; an empty user is a usage error', async () => {
    const seen: string[] = []
    const server = createServer((req, res) => {
      const auth = req.headers.authorization
      if (auth === undefined) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="test"', 'content-type': 'application/json' })
        res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}')
        return
      }
      seen.push(auth)
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const host = `127.0.0.1:${(server.address() as AddressInfo).port}`
      const args = ['image', 'pull', `docker://${host}/coco/app:v1`, '--dest', join(dir, 'creds-out')]
      const p = await run(...args, '--policy', acceptPolicy, '--src-tls-verify=false', '--src-creds', 'alice:s3:cret')
      assert.equal(p.code, 1)
      assert.match(p.err, /NOT_FOUND/)
      assert.ok(seen.length > 0)
      assert.ok(seen.every((a) => a === `Basic ${Buffer.from('alice:s3:cret').toString('base64')}`))
      assert.equal((await run(...args, '--policy', acceptPolicy, '--src-creds', ':x')).code, 2)
    } finally {
      server.close()
    }
  })
})
