import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { after, test } from 'node:test'
import { createGzip } from 'node:zlib'
import { tarHeader } from './test-tar.ts'
import { unpackLayers } from './unpack-layers.ts'
import { scratch } from './unpack-test-support.ts'

const MiB = 1024 * 1024
const FILES = 8
const FILE_SIZE = 25 * MiB

/** A 200 MiB tar generated on the fly: 8 files of 25 MiB, each filled with its own byte. */
function* bigTar(): Generator<Buffer> {
  for (let f = 0; f < FILES; f++) {
    yield tarHeader({ name: `data/file-${f}.bin`, mode: 0o644 }, FILE_SIZE)
    const chunk = Buffer.alloc(MiB, 0x41 + f)
    for (let i = 0; i < FILE_SIZE / MiB; i++) yield chunk
  }
  yield Buffer.alloc(1024)
}

function diffIdOf(source: Iterable<Buffer>): string {
  const h = createHash('sha256')
  for (const c of source) h.update(c)
  return `sha256:${h.digest('hex')}`
}

const dirs: string[] = []
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

for (const compression of ['none', 'gzip'] as const) {
  test(`a 200 MiB ${compression === 'none' ? 'plain' : 'gzip'} layer is streamed with bounded memory`, async (t) => {
    const diffId = diffIdOf(bigTar())
    const { dir, dest } = await scratch()
    dirs.push(dir)
    const stream =
      compression === 'none' ? Readable.from(bigTar()) : Readable.from(bigTar()).pipe(createGzip({ level: 1 }))
    const mediaType = `application/vnd.oci.image.layer.v1.tar${compression === 'gzip' ? '+gzip' : ''}`
    global.gc?.()
    const base = process.memoryUsage()
    let peakHeap = 0
    let peakRss = 0
    const sample = (): void => {
      const m = process.memoryUsage()
      peakHeap = Math.max(peakHeap, m.heapUsed + m.arrayBuffers - base.heapUsed - base.arrayBuffers)
      peakRss = Math.max(peakRss, m.rss - base.rss)
    }
    const timer = setInterval(sample, 10)
    const started = performance.now()
    try {
      const r = await unpackLayers([{ mediaType, stream, diffId }], dest)
      assert.equal(r.layers[0]?.bytes, FILES * (FILE_SIZE + 512) + 1024)
    } finally {
      clearInterval(timer)
    }
    sample()
    const seconds = (performance.now() - started) / 1000
    t.diagnostic(
      `${(200 / seconds).toFixed(0)} MiB/s, heap+arrayBuffers peak +${(peakHeap / MiB).toFixed(1)} MiB, rss peak +${(peakRss / MiB).toFixed(1)} MiB`,
    )
    for (let f = 0; f < FILES; f++) assert.equal((await stat(join(dest, `data/file-${f}.bin`))).size, FILE_SIZE)
    assert.ok(peakHeap < 64 * MiB, `heap + arrayBuffers grew by ${peakHeap} bytes`)
    assert.ok(peakRss < 128 * MiB, `rss grew by ${peakRss} bytes`)
  })
}
