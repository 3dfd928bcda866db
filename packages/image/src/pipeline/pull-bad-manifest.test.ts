import assert from 'node:assert/strict'
import { readdir } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { LayoutDestination } from '../layout/layout-destination.ts'
import { LayoutSource } from '../layout/layout-source.ts'
import type { ImageSource } from '../manifest/image-transport.ts'
import { MANIFEST_SIZE_LIMIT, OCI_MANIFEST } from '../manifest/media-types.ts'
import { parseImageReference } from '../reference/image-reference.ts'
import { RegistrySource } from '../registry/registry-image.ts'
import { parseDockerReference } from '../reference/docker-reference.ts'
import { pullImage } from './pull-image.ts'
import { acceptAnything, FILES, removeScratchDirs, scratchDir, writeTestImage } from './test-image.ts'

// Manifests that are wrong in themselves, not just corrupted on disk: each stored under its true
// digest (so the digest check passes), each refused by a whole pull with a coded error and nothing
// left beside DEST.

after(removeScratchDirs)

function pull(source: ImageSource, ref: string, dest: string) {
  return pullImage({
    source,
    reference: parseImageReference(ref),
    dest,
    policy: { policy: acceptAnything() },
    unwrappers: [],
  })
}

async function layoutWith(manifest: string | Buffer, mediaType = OCI_MANIFEST) {
  const dir = await scratchDir()
  const layout = join(dir, 'img')
  await writeTestImage(layout, 'v1', [FILES])
  const bytes = Buffer.isBuffer(manifest) ? manifest : Buffer.from(manifest)
  await new LayoutDestination(layout, 'bad').putManifest({ bytes, mediaType })
  const out = join(dir, 'out')
  return {
    dir,
    out,
    pull: () => pull(new LayoutSource(layout, 'bad'), `oci:${layout}:bad`, out),
  }
}

async function validManifest(): Promise<Record<string, unknown>> {
  const dir = await scratchDir()
  await writeTestImage(join(dir, 'img'), 'v1', [FILES])
  const raw = await new LayoutSource(join(dir, 'img'), 'v1').getManifest()
  return JSON.parse(raw.bytes.toString()) as Record<string, unknown>
}

describe('pullImage: a malformed manifest under its own digest', () => {
  const cases: [string, (m: Record<string, unknown>) => string][] = [
    ['truncated JSON', () => '{"schemaVersion": 2, "layers": ['],
    ['layers is not an array', (m) => JSON.stringify({ ...m, layers: { 0: 'x' } })],
    ['no config', (m) => JSON.stringify({ ...m, config: undefined })],
    ['schemaVersion 1 content under the OCI media type', (m) => JSON.stringify({ ...m, schemaVersion: 1 })],
    [
      'a layer digest that is not a digest',
      (m) => {
        const layers = m.layers as Record<string, unknown>[]
        return JSON.stringify({ ...m, layers: layers.map((l) => ({ ...l, digest: 'sha256:../../etc/passwd' })) })
      },
    ],
    [
      'a negative layer size',
      (m) => {
        const layers = m.layers as Record<string, unknown>[]
        return JSON.stringify({ ...m, layers: layers.map((l) => ({ ...l, size: -1 })) })
      },
    ],
  ]
  for (const [name, make] of cases) {
    test(`${name}: MALFORMED_MANIFEST, nothing on disk`, async () => {
      const image = await layoutWith(make(await validManifest()))
      await assert.rejects(image.pull(), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'MALFORMED_MANIFEST', String(e))
        return true
      })
      assert.deepEqual(await readdir(image.dir), ['img'])
    })
  }

  test('a manifest media type nobody knows: UNSUPPORTED_MEDIA_TYPE, nothing on disk', async () => {
    const m = await validManifest()
    const type = 'application/vnd.example.manifest.v9+json'
    const image = await layoutWith(JSON.stringify({ ...m, mediaType: type }), type)
    await assert.rejects(image.pull(), { code: 'UNSUPPORTED_MEDIA_TYPE' })
    assert.deepEqual(await readdir(image.dir), ['img'])
  })
})

describe('pullImage: an oversized manifest', () => {
  test(`over ${MANIFEST_SIZE_LIMIT} bytes in a layout: TOO_LARGE, nothing on disk`, async () => {
    const m = await validManifest()
    const padding = 'x'.repeat(MANIFEST_SIZE_LIMIT)
    const image = await layoutWith(JSON.stringify({ ...m, annotations: { padding } }))
    await assert.rejects(image.pull(), { code: 'TOO_LARGE' })
    assert.deepEqual(await readdir(image.dir), ['img'])
  })

  test('from a registry that streams it without a length: TOO_LARGE after the limit, nothing on disk', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/v2/') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
        return
      }
      res.writeHead(200, { 'content-type': OCI_MANIFEST })
      const chunk = Buffer.alloc(64 * 1024, 0x20)
      let sent = 0
      const write = (): void => {
        while (sent <= 2 * MANIFEST_SIZE_LIMIT) {
          sent += chunk.length
          if (!res.write(chunk)) {
            res.once('drain', write)
            return
          }
        }
        res.end()
      }
      write()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const host = `127.0.0.1:${(server.address() as AddressInfo).port}`
      const dir = await scratchDir()
      const source = new RegistrySource(parseDockerReference(`${host}/big/app:v1`), { tlsVerify: false })
      await assert.rejects(pull(source, `docker://${host}/big/app:v1`, join(dir, 'out')), { code: 'TOO_LARGE' })
      assert.deepEqual(await readdir(dir), [])
    } finally {
      server.closeAllConnections()
      server.close()
    }
  })
})
