import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { decompressLayer, layerCompression } from './decompress.ts'
import { chunked } from './test-tar.ts'
import { UnpackError } from './unpack-error.ts'

const FIXTURES = fileURLToPath(new URL('../../fixtures/unpack/', import.meta.url))

async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const c of it) parts.push(Buffer.from(c))
  return Buffer.concat(parts)
}

/** A zstd frame of `blocks` RLE blocks of 128 KiB each (4 bytes per block): a decompression bomb. */
function rleFrame(blocks: number): Buffer {
  const out = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38])]
  for (let i = 0; i < blocks; i++) {
    const h = ((128 * 1024) << 3) | (1 << 1) | (i === blocks - 1 ? 1 : 0)
    out.push(Buffer.from([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff, 0x7a]))
  }
  return Buffer.concat(out)
}

describe('layer decompression', () => {
  test('media types map to their compression', () => {
    assert.equal(layerCompression('application/vnd.oci.image.layer.v1.tar'), 'none')
    assert.equal(layerCompression('application/vnd.oci.image.layer.v1.tar+gzip'), 'gzip')
    assert.equal(layerCompression('application/vnd.oci.image.layer.v1.tar+zstd'), 'zstd')
    assert.equal(layerCompression('application/vnd.oci.image.layer.nondistributable.v1.tar+gzip'), 'gzip')
    assert.equal(layerCompression('application/vnd.docker.image.rootfs.diff.tar.gzip'), 'gzip')
    for (const t of [
      'application/vnd.oci.image.layer.v1.tar+gzip+encrypted',
      'application/vnd.oci.image.layer.v1.tar+bzip2',
      'application/vnd.oci.image.layer.v1.tar+gzip+zstd',
      'application/vnd.wasm.content.layer.v1+wasm',
      '',
    ]) {
      assert.throws(() => layerCompression(t), { code: 'UNSUPPORTED_MEDIA_TYPE' })
    }
    assert.throws(
      () => layerCompression('application/vnd.oci.image.layer.v1.tar+zstd+encrypted'),
      /decrypt the layer first/,
    )
  })

  test('gzip, fed in small chunks', async () => {
    const data = Buffer.alloc(300000, 'abc')
    const out = await collect(
      decompressLayer('application/vnd.oci.image.layer.v1.tar+gzip', chunked(gzipSync(data), 100)),
    )
    assert.ok(out.equals(data))
  })

  test('zstd from the zstd CLI (fixture)', async () => {
    const out = await collect(
      decompressLayer(
        'application/vnd.oci.image.layer.v1.tar+zstd',
        createReadStream(join(FIXTURES, 'gnutar-pax.tar.zst')),
      ),
    )
    assert.equal(
      createHash('sha256').update(out).digest('hex'),
      'bc735284b3d99a6d6f64e35bb5cb451b9b51ca14bbf2b36a111f1c4278c6f204',
    )
  })

  test('corrupt gzip and zstd streams are DECOMPRESS_FAILED', async () => {
    const gz = gzipSync(Buffer.alloc(10000, 'x'))
    gz[20] = (gz[20] ?? 0) ^ 0xff
    await assert.rejects(collect(decompressLayer('application/vnd.oci.image.layer.v1.tar+gzip', chunked(gz, 64))), {
      code: 'DECOMPRESS_FAILED',
    })
    const notZstd = Buffer.alloc(100, 7)
    await assert.rejects(
      collect(decompressLayer('application/vnd.oci.image.layer.v1.tar+zstd', chunked(notZstd, 64))),
      {
        code: 'DECOMPRESS_FAILED',
      },
    )
  })

  test('a zstd frame asking for a 128 MiB window is refused', async () => {
    const frame = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x11 << 3]), Buffer.alloc(20)])
    await assert.rejects(
      collect(decompressLayer('application/vnd.oci.image.layer.v1.tar+zstd', chunked(frame, 64))),
      (e) => {
        assert.ok(e instanceof UnpackError)
        assert.equal(e.code, 'DECOMPRESS_FAILED')
        assert.match(e.message, /window/)
        return true
      },
    )
  })

  test('a zstd bomb (256 MiB from 8 KiB) is decoded with bounded buffering', async () => {
    const frame = rleFrame(2048)
    let total = 0
    let peak = 0
    for await (const c of decompressLayer('application/vnd.oci.image.layer.v1.tar+zstd', chunked(frame, 65536))) {
      total += c.length
      assert.equal(c[c.length - 1], 0x7a)
      peak = Math.max(peak, process.memoryUsage().arrayBuffers)
    }
    assert.equal(total, 256 * 1024 * 1024)
    assert.ok(peak < 96 * 1024 * 1024, `arrayBuffers peaked at ${peak}`)
  })

  test('an error of the source stream reaches the consumer unchanged', async () => {
    const boom = new Error('source failed')
    async function* failing(): AsyncGenerator<Buffer> {
      yield gzipSync(Buffer.alloc(10)).subarray(0, 5)
      await new Promise((r) => setImmediate(r))
      throw boom
    }
    for (const t of ['application/vnd.oci.image.layer.v1.tar+gzip', 'application/vnd.oci.image.layer.v1.tar+zstd']) {
      await assert.rejects(collect(decompressLayer(t, failing())), (e) => e === boom)
    }
  })
})
