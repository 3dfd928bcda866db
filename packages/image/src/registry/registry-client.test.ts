import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, describe, test } from 'node:test'
import { sha256Digest } from '../manifest/digest.ts'
import { resolveImage } from '../manifest/resolve-image.ts'
import { assertOciError, readAll } from '../manifest/transport-contract-test-support.ts'
import { parseDockerReference } from '../reference/docker-reference.ts'
import { RegistryClient, type RegistryClientOptions } from './registry-client.ts'
import { RegistrySource } from './registry-image.ts'

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void
const servers: Server[] = []
after(() => {
  for (const s of servers) {
    s.closeAllConnections()
    s.close()
  }
})

/** A fake registry on 127.0.0.1 (plain HTTP) answering with `handler`; counts requests per path. */
async function fake(handler: Handler): Promise<{ host: string; hits: Map<string, number> }> {
  const hits = new Map<string, number>()
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1)
    if (url.pathname === '/v2/') {
      res.end('{}')
      return
    }
    handler(req, res, url)
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, hits }
}

const MANIFEST = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256Digest(Buffer.from('{}')), size: 2 },
    layers: [],
  }),
)
const DIGEST = sha256Digest(MANIFEST)
const OCI = 'application/vnd.oci.image.manifest.v1+json'

function client(host: string, sleeps: number[] = [], extra: RegistryClientOptions = {}): RegistryClient {
  return new RegistryClient(host, {
    tlsVerify: false,
    sleep: (ms) => {
      sleeps.push(ms)
      return Promise.resolve()
    },
    ...extra,
  })
}

describe('registry client against fake registries', () => {
  test('503, then 429 with Retry-After, then success; the backoff doubles and honours Retry-After', async () => {
    let n = 0
    const { host } = await fake((_req, res) => {
      n++
      if (n === 1) res.writeHead(503).end('busy')
      else if (n === 2) res.writeHead(503).end('busy')
      else if (n === 3) res.writeHead(429, { 'retry-after': '2' }).end()
      else res.writeHead(200, { 'content-type': OCI }).end(MANIFEST)
    })
    const sleeps: number[] = []
    const raw = await client(host, sleeps).getManifest('a/b', 'v1')
    assert.equal(raw.digest, DIGEST)
    assert.deepEqual(sleeps, [250, 500, 2000])
  })

  test('4xx are not retried; persistent 5xx gives up after the attempts; 403 is UNAUTHORIZED', async () => {
    const { host, hits } = await fake((_req, res, url) => {
      if (url.pathname.endsWith('/missing'))
        res.writeHead(404).end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}')
      else if (url.pathname.endsWith('/bad')) res.writeHead(400).end()
      else if (url.pathname.endsWith('/denied')) res.writeHead(403).end()
      else res.writeHead(500).end()
    })
    const c = client(host)
    await assertOciError(c.getManifest('a/b', 'missing'), 'NOT_FOUND')
    await assertOciError(c.getManifest('a/b', 'bad'), 'REGISTRY_ERROR')
    await assertOciError(c.getManifest('a/b', 'denied'), 'UNAUTHORIZED')
    await assert.rejects(c.getManifest('a/b', 'down'), (e: unknown) => (e as { status?: number }).status === 500)
    assert.equal(hits.get('/v2/a/b/manifests/missing'), 1)
    assert.equal(hits.get('/v2/a/b/manifests/bad'), 1)
    assert.equal(hits.get('/v2/a/b/manifests/down'), 4)
  })

  test('a dropped connection is retried', async () => {
    let n = 0
    const { host } = await fake((req, res) => {
      if (++n === 1) req.socket.destroy()
      else res.writeHead(200, { 'content-type': OCI }).end(MANIFEST)
    })
    const sleeps: number[] = []
    assert.equal((await client(host, sleeps).getManifest('a/b', DIGEST)).digest, DIGEST)
    assert.deepEqual(sleeps, [250])
  })

  test('a lying registry: manifest, announced digest and blob content are checked', async () => {
    const blob = Buffer.from('real content')
    const { host } = await fake((_req, res, url) => {
      if (url.pathname.endsWith(`/manifests/${DIGEST}`))
        res.writeHead(200, { 'content-type': OCI }).end(MANIFEST.toString().replace('[]', '[ ]'))
      else if (url.pathname.endsWith('/manifests/v1'))
        res.writeHead(200, { 'content-type': OCI, 'docker-content-digest': `sha256:${'4'.repeat(64)}` }).end(MANIFEST)
      else if (url.pathname.includes('/a/short/')) res.writeHead(200, { 'content-length': '3' }).end('abc')
      else res.writeHead(200).end(Buffer.from('fake content'))
    })
    const c = client(host)
    await assertOciError(c.getManifest('a/b', DIGEST), 'DIGEST_MISMATCH')
    await assertOciError(c.getManifest('a/b', 'v1'), 'DIGEST_MISMATCH')
    const info = { digest: sha256Digest(blob), size: blob.length }
    await assertOciError((async () => readAll(await c.getBlob('a/b', info)))(), 'DIGEST_MISMATCH')
    const short = { digest: `sha256:${'5'.repeat(64)}`, size: blob.length }
    await assertOciError(c.getBlob('a/short', short).then(readAll), 'SIZE_MISMATCH')
    await assertOciError(client(host, [], { blobSizeLimit: 4 }).getBlob('a/b', info), 'TOO_LARGE')
  })

  test('oversized manifests are refused, announced or not', async () => {
    const big = Buffer.alloc(3000, 0x20)
    const { host } = await fake((_req, res, url) => {
      if (url.pathname.endsWith('/announced'))
        res.writeHead(200, { 'content-type': OCI, 'content-length': String(5 * 1024 * 1024) }).end()
      else {
        res.writeHead(200, { 'content-type': OCI })
        res.write(big)
        res.end(big)
      }
    })
    await assertOciError(client(host).getManifest('a/b', 'announced'), 'TOO_LARGE')
    await assertOciError(client(host, [], { manifestSizeLimit: 4000 }).getManifest('a/b', 'chunked'), 'TOO_LARGE')
  })

  test('Docker schema 1 and unknown media types are UNSUPPORTED_MEDIA_TYPE', async () => {
    const schema1 = Buffer.from(JSON.stringify({ schemaVersion: 1, name: 'a/b', tag: 'v1', fsLayers: [] }))
    const artifact = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.example.thing+json' }))
    const { host } = await fake((_req, res, url) => {
      if (url.pathname.endsWith('/old'))
        res
          .writeHead(200, {
            'content-type': 'application/vnd.docker.distribution.manifest.v1+prettyjws',
            'docker-content-digest': `sha256:${'6'.repeat(64)}`,
          })
          .end(schema1)
      else res.writeHead(200, { 'content-type': 'application/vnd.example.thing+json' }).end(artifact)
    })
    for (const tag of ['old', 'thing']) {
      const source = new RegistrySource(parseDockerReference(`${host}/a/b:${tag}`), client(host))
      await assertOciError(resolveImage(source), 'UNSUPPORTED_MEDIA_TYPE')
    }
  })

  test('tags are paginated with Link; blobs follow redirects', async () => {
    const blob = Buffer.from('redirected blob')
    const { host } = await fake((_req, res, url) => {
      if (url.pathname.endsWith('/tags/list') && url.searchParams.get('last') === null) {
        res
          .writeHead(200, { link: '</v2/a/b/tags/list?n=2&last=t2>; rel="next"' })
          .end('{"name":"a/b","tags":["t1","t2"]}')
      } else if (url.pathname.endsWith('/tags/list')) res.writeHead(200).end('{"name":"a/b","tags":["sha256-abc.sig"]}')
      else if (url.pathname.startsWith('/v2/')) res.writeHead(307, { location: '/storage/blob-data' }).end()
      else res.writeHead(200).end(blob)
    })
    const c = client(host)
    assert.deepEqual(await c.listTags('a/b'), ['t1', 't2', 'sha256-abc.sig'])
    const data = await readAll(await c.getBlob('a/b', { digest: sha256Digest(blob), size: blob.length }))
    assert.ok(data.equals(blob))
  })

  test('a blob download cut off mid-way resumes with a Range request (206, or 200 skipped forward)', async () => {
    const blob = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251))
    const ranges: (string | undefined)[] = []
    const { host } = await fake((req, res, url) => {
      ranges.push(req.headers.range)
      const honour = url.pathname.includes('/ranged/')
      if (req.headers.range === undefined) {
        res.writeHead(200, { 'content-length': String(blob.length) })
        res.write(blob.subarray(0, 70_000), () => {
          setTimeout(() => req.socket.destroy(), 20)
        })
      } else if (honour) {
        const start = Number(/bytes=(\d+)-/.exec(req.headers.range)?.[1])
        res
          .writeHead(206, { 'content-range': `bytes ${start}-${blob.length - 1}/${blob.length}` })
          .end(blob.subarray(start))
      } else res.writeHead(200).end(blob)
    })
    const sleeps: number[] = []
    const info = { digest: sha256Digest(blob), size: blob.length }
    for (const repo of ['a/ranged', 'a/plain']) {
      const data = await readAll(await client(host, sleeps).getBlob(repo, info))
      assert.ok(data.equals(blob), repo)
    }
    assert.equal(ranges.length, 4)
    assert.equal(ranges[0], undefined)
    assert.match(ranges[1] ?? '', /^bytes=\d+-$/)
    assert.deepEqual(sleeps, [250, 250])
  })

  test('repository paths, tags and digests are checked before they go into a URL', async () => {
    const { host, hits } = await fake((_req, res) => res.writeHead(500).end())
    const c = client(host)
    await assertOciError(c.getManifest('../../etc', 'v1'), 'INVALID_ARGUMENT')
    await assertOciError(c.getManifest('a/b', 'v1/../../x'), 'INVALID_ARGUMENT')
    await assertOciError(c.hasBlob('a/b', 'sha256:../x'), 'INVALID_ARGUMENT')
    await assertOciError(c.putBlob('A/B', Readable.from([Buffer.from('x')])), 'INVALID_ARGUMENT')
    assert.equal(hits.size, 0)
  })

  test('Basic challenge: credentials are sent; without them UNAUTHORIZED', async () => {
    const expected = `Basic ${Buffer.from('u:p').toString('base64')}`
    const { host } = await fake((req, res) => {
      if (req.headers.authorization !== expected) res.writeHead(401, { 'www-authenticate': 'Basic realm="fake"' }).end()
      else res.writeHead(200, { 'content-type': OCI }).end(MANIFEST)
    })
    assert.equal(
      (await client(host, [], { credentials: { username: 'u', password: 'p' } }).getManifest('a/b', 'v1')).digest,
      DIGEST,
    )
    await assertOciError(client(host).getManifest('a/b', 'v1'), 'UNAUTHORIZED')
  })

  test('with TLS verification on, a plain-HTTP registry is a NETWORK error (no silent downgrade)', async () => {
    const { host } = await fake((_req, res) => res.writeHead(200, { 'content-type': OCI }).end(MANIFEST))
    await assertOciError(new RegistryClient(host, { retry: { attempts: 1 } }).getManifest('a/b', 'v1'), 'NETWORK')
  })
})

describe('registry client over HTTPS', () => {
  test('a private CA is trusted when given; otherwise the certificate is refused unless tlsVerify is false', async () => {
    const tls = fileURLToPath(new URL('../../fixtures/tls/', import.meta.url))
    const server = createHttpsServer(
      { cert: await readFile(join(tls, 'registry-cert.pem')), key: await readFile(join(tls, 'registry-key.pem')) },
      (_req, res) => res.writeHead(200, { 'content-type': OCI }).end(MANIFEST),
    )
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`
    const ca = await readFile(join(tls, 'registry-cert.pem'), 'utf8')
    assert.equal((await new RegistryClient(host, { ca }).getManifest('a/b', 'v1')).digest, DIGEST)
    assert.equal(await new RegistryClient(host, { ca }).http.baseUrl(), `https://${host}`)
    await assertOciError(new RegistryClient(host, { retry: { attempts: 1 } }).getManifest('a/b', 'v1'), 'NETWORK')
    const insecure = new RegistryClient(host, { tlsVerify: false })
    assert.equal((await insecure.getManifest('a/b', 'v1')).digest, DIGEST)
    assert.equal(await insecure.http.baseUrl(), `https://${host}`, 'no downgrade when the registry speaks TLS')
  })
})
