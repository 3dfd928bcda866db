import assert from 'node:assert/strict'
import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { LayoutSource } from '../layout/layout-source.ts'
import { LayoutDestination } from '../layout/layout-destination.ts'
import { OCI_MANIFEST } from '../manifest/media-types.ts'
import { parseOciLayoutReference } from '../reference/image-reference.ts'
import { cdhResourceFetcher } from './cdh-resources.ts'
import { formatBytes, terminalProgress } from './progress.ts'
import { pullImage } from './pull-image.ts'
import { acceptAnything, FILES, removeScratchDirs, scratchDir, writeTestImage } from './test-image.ts'

after(removeScratchDirs)

describe('cdhResourceFetcher', () => {
  test('GET <cdh>/cdh/resource/<repo>/<type>/<tag> for every kid form; the host in a kid is not used', async () => {
    const urls: string[] = []
    const fetch = (url: string): Promise<Response> => {
      urls.push(url)
      return Promise.resolve(new Response(new Uint8Array([1, 2, 3])))
    }
    const get = cdhResourceFetcher('http://127.0.0.1:8006/', { fetch })
    assert.deepEqual([...(await get('kbs:///default/image-kek/app'))], [1, 2, 3])
    await get('kbs://evil.example:8080/default/image-kek/app')
    await get('/default/image-kek/app')
    assert.deepEqual(urls, Array(3).fill('http://127.0.0.1:8006/cdh/resource/default/image-kek/app'))
  })

  test('refusals, unreachable CDH, oversized answers and unsafe kids are KEY_UNAVAILABLE / refused', async () => {
    const denied = cdhResourceFetcher('http://cdh', {
      fetch: () => Promise.resolve(new Response('PolicyDeny: resource policy', { status: 500 })),
    })
    await assert.rejects(denied('kbs:///default/k/1'), { code: 'KEY_UNAVAILABLE', message: /HTTP 500 PolicyDeny/ })
    const down = cdhResourceFetcher('http://cdh', { fetch: () => Promise.reject(new Error('ECONNREFUSED')) })
    await assert.rejects(down('kbs:///default/k/1'), { code: 'KEY_UNAVAILABLE', message: /unreachable/ })
    const big = cdhResourceFetcher('http://cdh', {
      fetch: () => Promise.resolve(new Response(new Uint8Array(1024 * 1024 + 1))),
    })
    await assert.rejects(big('kbs:///default/k/1'), { code: 'KEY_UNAVAILABLE', message: /larger/ })
    const any = cdhResourceFetcher('http://cdh', { fetch: () => Promise.resolve(new Response('x')) })
    await assert.rejects(any('kbs:///default/../etc'))
    assert.throws(() => cdhResourceFetcher('ftp://cdh'), { code: 'INVALID_ARGUMENT' })
  })
})

describe('terminalProgress', () => {
  test('draws label, bar and bytes in place, at most every interval, and ends the line when done', () => {
    let out = ''
    let t = 0
    const progress = terminalProgress(
      { write: (s: string) => (out += s), columns: 80 },
      { intervalMs: 100, now: () => t },
    )
    const task = progress.start('layer 1/1 abc', 4 * 1024 * 1024)
    task.advance(1024 * 1024)
    t = 50
    task.advance(1024 * 1024)
    t = 200
    task.advance(1024 * 1024)
    task.done()
    const frames = out.split('\r').filter((f) => f !== '')
    assert.equal(frames.length, 3, 'the 50 ms update is skipped')
    assert.match(frames[0] ?? '', /^layer 1\/1 abc \[#+\.+\] 1\.0 MiB \/ 4\.0 MiB$/)
    assert.match(frames[2] ?? '', /3\.0 MiB \/ 4\.0 MiB\n$/)
    assert.equal(formatBytes(512), '512 B')
    assert.equal(formatBytes(1536), '1.5 KiB')
  })
})

describe('pullImage bad input', () => {
  test('unknown layer media type and a corrupt manifest: refused before any layer, nothing left', async () => {
    const dir = await scratchDir()
    const layout = join(dir, 'img')
    await writeTestImage(layout, 'v1', [FILES])
    const raw = await new LayoutSource(layout, 'v1').getManifest()
    const doc = JSON.parse(raw.bytes.toString()) as { layers: { mediaType: string }[] }
    for (const layer of doc.layers) layer.mediaType = 'application/vnd.example.unknown+tar'
    await new LayoutDestination(layout, 'odd').putManifest({
      bytes: Buffer.from(JSON.stringify(doc)),
      mediaType: OCI_MANIFEST,
    })
    const pull = (tag: string) =>
      pullImage({
        source: new LayoutSource(layout, tag),
        reference: parseOciLayoutReference(`${layout}:${tag}`),
        dest: join(dir, 'out'),
        policy: { policy: acceptAnything() },
        unwrappers: [],
      })
    await assert.rejects(pull('odd'), { code: 'UNSUPPORTED_MEDIA_TYPE' })
    const manifestFile = join(layout, 'blobs', 'sha256', raw.digest.slice(7))
    await writeFile(manifestFile, '{"schemaVersion": 2, "layers": [')
    await assert.rejects(pull('v1'), (e: Error & { code?: string }) => {
      assert.ok(['DIGEST_MISMATCH', 'SIZE_MISMATCH', 'MALFORMED_MANIFEST'].includes(e.code ?? ''), String(e))
      return true
    })
    assert.deepEqual(await readdir(dir), ['img'])
  })
})
