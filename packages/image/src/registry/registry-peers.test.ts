import assert from 'node:assert/strict'
import { createCipheriv, createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { after, before, describe, test } from 'node:test'
import { copyImage } from '../manifest/copy-image.ts'
import { sha256Digest } from '../manifest/digest.ts'
import { resolveImage } from '../manifest/resolve-image.ts'
import {
  assertOciError,
  imageTransportContract,
  LAYOUTS,
  readAll,
  TWO_DIGEST,
} from '../manifest/transport-contract-test-support.ts'
import { LayoutDestination } from '../layout/layout-destination.ts'
import { LayoutSource } from '../layout/layout-source.ts'
import { parseDockerReference } from '../reference/docker-reference.ts'
import { RegistryClient } from './registry-client.ts'
import { RegistryDestination, RegistrySource } from './registry-image.ts'
import { startRegistry, type LocalRegistry } from './test-support/start-registry.ts'
import { run, skopeo } from './test-support/peer-tools.ts'
import { startTokenAuthFront, type TokenAuthFront } from './test-support/token-auth-front.ts'

let registry: LocalRegistry
let front: TokenAuthFront
let tmp: string
let repoCounter = 0
const CREDENTIALS = { username: 'coco', password: 'secret' }

before(async () => {
  registry = await startRegistry()
  front = await startTokenAuthFront({ upstreamPort: registry.port, credentials: CREDENTIALS })
  tmp = await mkdtemp(join(tmpdir(), 'carapace-registry-test-'))
})
after(async () => {
  await front.stop()
  await registry.stop()
  await rm(tmp, { recursive: true, force: true })
})

function ref(host: string, repo: string, tag = 'v1') {
  return parseDockerReference(`${host}/${repo}:${tag}`)
}

describe('registry (docker-registry on 127.0.0.1): contract', () => {
  imageTransportContract(() => {
    const repo = `contract/r${++repoCounter}`
    const client = new RegistryClient(registry.host, { tlsVerify: false })
    return {
      open: (tag) => ({
        source: new RegistrySource(ref(registry.host, repo, tag), client),
        dest: new RegistryDestination(ref(registry.host, repo, tag), client),
      }),
    }
  })
})

describe('registry: interop with skopeo 1.9', () => {
  for (const name of ['plain', 'two', 'enc-jwe-rsa']) {
    test(`we push ${name}; skopeo inspects and copies it back byte for byte`, async () => {
      const source = new LayoutSource(join(LAYOUTS, name), 'v1')
      const dest = new RegistryDestination(ref(registry.host, `coco/${name}`), { tlsVerify: false })
      const digest = await copyImage(source, dest)
      const raw = await skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/coco/${name}:v1`])
      assert.equal(sha256Digest(Buffer.from(raw)), digest)
      assert.equal(digest, (await source.getManifest()).digest)
      const out = join(tmp, `back-${name}`)
      await skopeo(['copy', '--src-tls-verify=false', `docker://${registry.host}/coco/${name}:v1`, `oci:${out}:v1`])
      const theirs = (await readdir(join(out, 'blobs', 'sha256'))).sort()
      assert.deepEqual(theirs, (await readdir(join(LAYOUTS, name, 'blobs', 'sha256'))).sort())
      for (const hex of theirs) {
        assert.equal(sha256Digest(await readFile(join(out, 'blobs', 'sha256', hex))), `sha256:${hex}`)
      }
    })
  }

  test('skopeo pushes; we pull and verify every digest', async () => {
    await skopeo([
      'copy',
      '--dest-tls-verify=false',
      `oci:${join(LAYOUTS, 'two')}:v1`,
      `docker://${registry.host}/theirs/two:v1`,
    ])
    const source = new RegistrySource(ref(registry.host, 'theirs/two'), { tlsVerify: false })
    const image = await resolveImage(source)
    assert.equal(image.raw.digest, TWO_DIGEST)
    for (const blob of [image.manifest.config, ...image.manifest.layers]) {
      assert.equal(sha256Digest(await readAll(await source.getBlob(blob))), blob.digest)
    }
    const byDigest = new RegistrySource(parseDockerReference(`${registry.host}/theirs/two@${TWO_DIGEST}`), {
      tlsVerify: false,
    })
    assert.equal((await byDigest.getManifest()).digest, TWO_DIGEST)
  })

  test('we pull into an OCI layout that skopeo and umoci read', async () => {
    await copyImage(
      new LayoutSource(join(LAYOUTS, 'plain'), 'v1'),
      new RegistryDestination(ref(registry.host, 'coco/pulled'), { tlsVerify: false }),
    )
    const dir = join(tmp, 'pulled-layout')
    const digest = await copyImage(
      new RegistrySource(ref(registry.host, 'coco/pulled'), { tlsVerify: false }),
      new LayoutDestination(dir, 'v1'),
    )
    const raw = await skopeo(['inspect', '--raw', `oci:${dir}:v1`])
    assert.equal(sha256Digest(Buffer.from(raw)), digest)
    const bundle = join(tmp, 'umoci-bundle')
    await run('umoci', ['unpack', '--rootless', '--image', `${dir}:v1`, bundle])
    assert.equal(await readFile(join(bundle, 'rootfs', 'hello.txt'), 'utf8'), 'hello from coco test image\n')
  })

  test('a large blob goes up in chunks and comes back verified', async () => {
    const content = randomBytes(5 * 1024 * 1024 + 123)
    const client = new RegistryClient(registry.host, { tlsVerify: false, uploadChunkSize: 1024 * 1024 })
    const pieces = Array.from({ length: 40 }, (_, i) =>
      content.subarray((i * content.length) / 40, ((i + 1) * content.length) / 40),
    )
    const info = await client.putBlob('chunked/blob', Readable.from(pieces))
    assert.deepEqual(info, { digest: sha256Digest(content), size: content.length })
    assert.ok(await client.hasBlob('chunked/blob', info.digest))
    assert.ok((await readAll(await client.getBlob('chunked/blob', info))).equals(content))
    await assertOciError(
      client.putBlob('chunked/blob', Readable.from(pieces), { digest: `sha256:${'3'.repeat(64)}` }),
      'DIGEST_MISMATCH',
    )
  })

  test('a 128 MiB blob streams up and down without being held in memory', async () => {
    const size = 128 * 1024 * 1024
    const keystream = createCipheriv('aes-128-ctr', Buffer.alloc(16, 7), Buffer.alloc(16))
    let left = size
    const content = new Readable({
      read() {
        const n = Math.min(left, 1 << 20)
        left -= n
        this.push(n === 0 ? null : keystream.update(Buffer.alloc(n)))
      },
    })
    const base = process.memoryUsage().rss
    let peak = base
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss)
    }, 5)
    try {
      const client = new RegistryClient(registry.host, { tlsVerify: false })
      const info = await client.putBlob('big/blob', content)
      assert.equal(info.size, size)
      const hash = createHash('sha256')
      for await (const chunk of await client.getBlob('big/blob', info)) hash.update(chunk as Buffer)
      assert.equal(`sha256:${hash.digest('hex')}`, info.digest)
    } finally {
      clearInterval(sampler)
    }
    const grewMiB = (peak - base) / 1024 / 1024
    assert.ok(grewMiB < 100, `resident memory grew by ${grewMiB.toFixed(0)} MiB for a 128 MiB blob`)
  })

  test('the registry refuses a blob whose digest we lie about', async () => {
    const client = new RegistryClient(registry.host, { tlsVerify: false })
    const content = Buffer.from('lie')
    // bypass our own check: a Readable that yields other bytes than the expected size/digest is caught by us first
    await assertOciError(
      client.putBlob('lie/blob', Readable.from([content]), { digest: sha256Digest(Buffer.from('truth')) }),
      'DIGEST_MISMATCH',
    )
    assert.equal(await client.hasBlob('lie/blob', sha256Digest(content)), false)
  })
})

describe('registry: Bearer token auth (token front before docker-registry)', () => {
  test('anonymous challenge → token with credentials → push and pull work', async () => {
    const options = { tlsVerify: false, credentials: CREDENTIALS }
    const dest = new RegistryDestination(ref(front.host, 'auth/plain'), options)
    const digest = await copyImage(new LayoutSource(join(LAYOUTS, 'plain'), 'v1'), dest)
    assert.ok(front.issued.includes('repository:auth/plain:pull,push'), front.issued.join(' | '))
    const source = new RegistrySource(ref(front.host, 'auth/plain'), options)
    const image = await resolveImage(source)
    assert.equal(image.raw.digest, digest)
    assert.equal(sha256Digest(await readAll(await source.getBlob(image.manifest.config))), image.manifest.config.digest)
    assert.ok(front.issued.includes('repository:auth/plain:pull'))
    const before = front.refused()
    await source.getManifest()
    assert.equal(front.refused(), before, 'a cached token is reused without a new challenge')
  })

  test('wrong credentials → UNAUTHORIZED; skopeo reads through the front too', async () => {
    const source = new RegistrySource(ref(front.host, 'auth/plain'), {
      tlsVerify: false,
      credentials: { username: 'coco', password: 'wrong' },
    })
    await assertOciError(source.getManifest(), 'UNAUTHORIZED')
    await assertOciError(
      new RegistrySource(ref(front.host, 'auth/plain'), { tlsVerify: false }).getManifest(),
      'UNAUTHORIZED',
    )
    const raw = await skopeo([
      'inspect',
      '--raw',
      '--tls-verify=false',
      '--creds',
      'coco:secret',
      `docker://${front.host}/auth/plain:v1`,
    ])
    assert.equal(
      sha256Digest(Buffer.from(raw)),
      (await new LayoutSource(join(LAYOUTS, 'plain'), 'v1').getManifest()).digest,
    )
  })
})

describe('registry: anonymous Bearer token (a public repository, as Docker Hub serves it)', () => {
  test('no credentials → a pull-only token without an Authorization header; a push is refused', async () => {
    const hub = await startTokenAuthFront({
      upstreamPort: registry.port,
      credentials: CREDENTIALS,
      anonymousPull: true,
    })
    try {
      const digest = await copyImage(
        new LayoutSource(join(LAYOUTS, 'plain'), 'v1'),
        new RegistryDestination(ref(registry.host, 'public/plain'), { tlsVerify: false }),
      )
      const source = new RegistrySource(ref(hub.host, 'public/plain'), { tlsVerify: false })
      const image = await resolveImage(source)
      assert.equal(image.raw.digest, digest)
      const config = await readAll(await source.getBlob(image.manifest.config))
      assert.equal(sha256Digest(config), image.manifest.config.digest)
      assert.deepEqual(hub.issued, ['repository:public/plain:pull'])
      assert.deepEqual(hub.tokenRequests, [{ authorized: false, account: null }])
      assert.ok(hub.refused() >= 1, 'the first request met the Bearer challenge')

      const push = new RegistryDestination(ref(hub.host, 'public/pushed'), { tlsVerify: false })
      await assertOciError(copyImage(new LayoutSource(join(LAYOUTS, 'plain'), 'v1'), push), 'UNAUTHORIZED')
      assert.ok(hub.issued.includes('repository:public/pushed:pull'), hub.issued.join(' | '))
      assert.ok(hub.tokenRequests.every((r) => !r.authorized))
    } finally {
      await hub.stop()
    }
  })
})
