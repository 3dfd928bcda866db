import assert from 'node:assert/strict'
import { createReadStream } from 'node:fs'
import { lstat, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { listTree, scratch, tarLayer } from './unpack-test-support.ts'
import { unpackLayers, type LayerToUnpack } from './unpack-layers.ts'
import type { UnpackWarning } from './rootfs-writer.ts'
import { UnpackError } from './unpack-error.ts'

const FIXTURES = fileURLToPath(new URL('../../fixtures/unpack/', import.meta.url))
const dirs: string[] = []
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})
async function tmp(): Promise<{ dir: string; dest: string }> {
  const s = await scratch()
  dirs.push(s.dir)
  return s
}

interface ExpectedLayer {
  mediaType: string
  digest: string
  uncompressedDigest: string
  files: { name: string; type: string; content?: string }[]
}
async function expectedLayers(name: string): Promise<ExpectedLayer[]> {
  const json = JSON.parse(await readFile(join(FIXTURES, `${name}.expected.json`), 'utf8')) as {
    manifests: { layers: ExpectedLayer[] }[]
  }
  return json.manifests[0]?.layers ?? []
}
function vectorLayer(l: ExpectedLayer): LayerToUnpack {
  const blob = join(FIXTURES, 'blobs', l.digest.slice('sha256:'.length))
  return { mediaType: l.mediaType, stream: createReadStream(blob), diffId: l.uncompressedDigest }
}

describe('unpackLayers: vector layouts', () => {
  for (const name of ['plain', 'two']) {
    test(`${name}: every member of every layer with its content`, async () => {
      const { dir, dest } = await tmp()
      const layers = await expectedLayers(name)
      const r = await unpackLayers(layers.map(vectorLayer), dest)
      assert.equal(r.dest, dest)
      assert.deepEqual(
        r.layers.map((l) => l.diffId),
        layers.map((l) => l.uncompressedDigest),
      )
      const want = layers
        .flatMap((l) => l.files)
        .filter((f) => f.name !== '.')
        .map((f) => `${f.name.replace(/\/$/, '')} ${f.type === '5' ? 'd' : 'f'}`)
        .sort()
      assert.deepEqual(await listTree(dest), want)
      for (const f of layers.flatMap((l) => l.files)) {
        if (f.content !== undefined) assert.equal(await readFile(join(dest, f.name), 'utf8'), f.content)
      }
      assert.deepEqual(await readdir(dir), ['rootfs'])
    })
  }

  test('GNU tar pax archive compressed with the zstd CLI; GNU-format archive with gzip', async () => {
    for (const [file, mediaType, diffId] of [
      [
        'gnutar-pax.tar.zst',
        'application/vnd.oci.image.layer.v1.tar+zstd',
        'bc735284b3d99a6d6f64e35bb5cb451b9b51ca14bbf2b36a111f1c4278c6f204',
      ],
      [
        'gnutar-gnu.tar.gz',
        'application/vnd.docker.image.rootfs.diff.tar.gzip',
        '9ecab569a70aaa7bd3338c34bd397aa3ffcb165620dc4b7806ef06c71198ede8',
      ],
    ] as const) {
      const { dest } = await tmp()
      const stream = createReadStream(join(FIXTURES, file), { highWaterMark: 64 })
      await unpackLayers([{ mediaType, stream, diffId: `sha256:${diffId}` }], dest)
      const long = `usr/${'d'.repeat(120)}.txt`
      assert.deepEqual(await listTree(dest), [
        'bin d',
        'bin/hello f',
        'bin/hi l -> hello',
        'usr d',
        `${long} f`,
        'usr/share d',
        'usr/share/doc d',
        'usr/share/doc/README f',
        'usr/share/doc/README.hardlink f',
      ])
      assert.equal(await readFile(join(dest, long), 'utf8'), 'long\n')
      const a = await stat(join(dest, 'usr/share/doc/README'))
      const b = await stat(join(dest, 'usr/share/doc/README.hardlink'))
      assert.equal(a.ino, b.ino)
      const hello = await stat(join(dest, 'bin/hello'))
      assert.equal(hello.mode & 0o7777, 0o755)
      assert.equal(hello.mtimeMs, Date.UTC(2024, 0, 2, 3, 4, 5))
    }
  })
})

describe('unpackLayers: layer semantics', () => {
  test('modes, owners, mtimes of files, dirs and symlinks', async () => {
    const { dest } = await tmp()
    await unpackLayers(
      [
        tarLayer([
          { name: './', type: '5', mode: 0o711, mtime: 1500000000 },
          { name: 'd/', type: '5', mode: 0o750, mtime: 1600000000, uid: 12, gid: 34 },
          { name: 'd/f', data: 'x', mode: 0o4711, mtime: 1650000000, uid: 56, gid: 78 },
          { name: 'd/s', type: '2', linkname: '/nowhere', mtime: 1660000000 },
        ]),
      ],
      dest,
      { chown: process.getuid?.() === 0 },
    )
    const root = await stat(dest)
    assert.equal(root.mode & 0o7777, 0o711)
    assert.equal(root.mtimeMs, 1500000000000)
    const d = await stat(join(dest, 'd'))
    assert.equal(d.mode & 0o7777, 0o750)
    assert.equal(d.mtimeMs, 1600000000000)
    const f = await stat(join(dest, 'd/f'))
    assert.equal(f.mode & 0o7777, 0o4711)
    assert.equal(f.mtimeMs, 1650000000000)
    const s = await lstat(join(dest, 'd/s'))
    assert.equal(s.mtimeMs, 1660000000000)
    if (process.getuid?.() === 0) {
      assert.deepEqual([d.uid, d.gid, f.uid, f.gid], [12, 34, 56, 78])
    }
  })

  test('whiteouts and opaque directories across layers', async () => {
    const { dest } = await tmp()
    await unpackLayers(
      [
        tarLayer([
          { name: 'a/', type: '5' },
          { name: 'a/keep', data: '1' },
          { name: 'a/gone', data: '1' },
          { name: 'a/sub/', type: '5' },
          { name: 'a/sub/deep', data: '1' },
          { name: 'o/', type: '5' },
          { name: 'o/old', data: 'old' },
          { name: 'o/x/', type: '5' },
          { name: 'o/x/old', data: 'old' },
          { name: 'replaced', data: 'file' },
        ]),
        tarLayer([
          { name: 'a/.wh.gone' },
          { name: 'a/.wh.sub' },
          { name: 'a/.wh.never-existed' },
          { name: 'o/x/', type: '5' },
          { name: 'o/x/new', data: 'new' },
          { name: 'o/.wh..wh..opq' },
          { name: 'o/new', data: 'new' },
          { name: 'replaced/', type: '5' },
          { name: 'replaced/inside', data: 'now a dir' },
          { name: 'nodir/.wh.x' },
        ]),
      ],
      dest,
    )
    assert.deepEqual(await listTree(dest), [
      'a d',
      'a/keep f',
      'o d',
      'o/new f',
      'o/x d',
      'o/x/new f',
      'replaced d',
      'replaced/inside f',
    ])
  })

  test('a whiteout in the same layer as its target does not remove it', async () => {
    const { dest } = await tmp()
    await unpackLayers([tarLayer([{ name: 'f', data: '1' }, { name: '.wh.f' }])], dest)
    assert.deepEqual(await listTree(dest), ['f f'])
  })

  test('later entries replace earlier ones; hard links to lower layers', async () => {
    const { dest } = await tmp()
    await unpackLayers(
      [
        tarLayer([
          { name: 'dir/', type: '5' },
          { name: 'dir/x', data: 'x' },
          { name: 'f', data: 'one' },
          { name: 'l', type: '2', linkname: 'f' },
        ]),
        tarLayer([
          { name: 'dir', data: 'now a file' },
          { name: 'f', data: 'two' },
          { name: 'l', data: 'file over symlink' },
          { name: 'h', type: '1', linkname: 'f' },
        ]),
      ],
      dest,
    )
    assert.deepEqual(await listTree(dest), ['dir f', 'f f', 'h f', 'l f'])
    assert.equal(await readFile(join(dest, 'h'), 'utf8'), 'two')
    assert.equal(await readFile(join(dest, 'l'), 'utf8'), 'file over symlink')
  })

  test('parents missing from the archive are created', async () => {
    const { dest } = await tmp()
    await unpackLayers([tarLayer([{ name: 'x/y/z', data: 'z' }])], dest)
    assert.deepEqual(await listTree(dest), ['x d', 'x/y d', 'x/y/z f'])
  })

  test('devices and fifos: skip (warning), reject, create (fifo)', async () => {
    const entries = [
      { name: 'fifo', type: '6', mode: 0o600 },
      { name: 'null', type: '3', devmajor: 1, devminor: 3 },
    ]
    const warnings: UnpackWarning[] = []
    const a = await tmp()
    await unpackLayers([tarLayer(entries)], a.dest, { devices: 'skip', onWarning: (w) => warnings.push(w) })
    assert.deepEqual(await listTree(a.dest), [])
    assert.deepEqual(
      warnings.map((w) => [w.code, w.entry, w.layer]),
      [
        ['DEVICE_SKIPPED', 'fifo', 0],
        ['DEVICE_SKIPPED', 'null', 0],
      ],
    )
    const b = await tmp()
    await assert.rejects(unpackLayers([tarLayer(entries)], b.dest, { devices: 'reject' }), {
      code: 'DEVICE_NOT_ALLOWED',
      entry: 'fifo',
    })
    assert.deepEqual(await readdir(b.dir), [])
    const c = await tmp()
    const lower = tarLayer([{ name: 'fifo', data: 'a file first' }])
    await unpackLayers([lower, tarLayer(entries.slice(0, 1))], c.dest, { devices: 'create' })
    const st = await lstat(join(c.dest, 'fifo'))
    assert.ok(st.isFIFO())
    assert.equal(st.mode & 0o777, 0o600)
  })
})

describe('unpackLayers: atomicity', () => {
  test('a failure in the 2nd layer leaves no destination and no staging directory', async () => {
    const { dir, dest } = await tmp()
    const layers = [
      tarLayer([{ name: 'ok', data: '1' }]),
      tarLayer([
        { name: 'fine', data: '2' },
        { name: '../evil', data: '3' },
      ]),
    ]
    await assert.rejects(unpackLayers(layers, dest), (e: unknown) => {
      assert.ok(e instanceof UnpackError)
      assert.equal(e.code, 'PATH_ESCAPE')
      assert.equal(e.layer, 1)
      assert.equal(e.entry, '../evil')
      return true
    })
    assert.deepEqual(await readdir(dir), [])
  })

  test('diff_id mismatch', async () => {
    const { dir, dest } = await tmp()
    const bad = tarLayer([{ name: 'f', data: '1' }], { diffId: `sha256:${'0'.repeat(64)}` })
    await assert.rejects(unpackLayers([bad], dest), { code: 'DIFF_ID_MISMATCH', layer: 0 })
    assert.deepEqual(await readdir(dir), [])
  })

  test('a rejected verified promise (layer HMAC) unpacks nothing', async () => {
    const { dir, dest } = await tmp()
    async function* layers(): AsyncGenerator<LayerToUnpack> {
      yield tarLayer([{ name: 'a', data: '1' }])
      await new Promise((r) => setImmediate(r))
      // as a decryptor would: the verdict arrives once the stream has been read to its end
      const verified = Promise.reject(new Error('could not properly decrypt byte stream'))
      yield tarLayer([{ name: 'b', data: '2' }], { verified })
    }
    await assert.rejects(unpackLayers(layers(), dest), (e: unknown) => {
      assert.ok(e instanceof UnpackError)
      assert.equal(e.code, 'LAYER_NOT_VERIFIED')
      assert.equal(e.layer, 1)
      assert.match((e.cause as Error).message, /could not properly decrypt/)
      return true
    })
    assert.deepEqual(await readdir(dir), [])
  })

  test('the destination is awaited on every verified promise before the rename', async () => {
    const { dest } = await tmp()
    let resolve: () => void = () => undefined
    const verified = new Promise<void>((r) => (resolve = r))
    const p = unpackLayers([tarLayer([{ name: 'a', data: '1' }], { verified })], dest)
    await new Promise((r) => setTimeout(r, 50))
    await assert.rejects(lstat(dest), { code: 'ENOENT' })
    resolve()
    await p
    assert.deepEqual(await listTree(dest), ['a f'])
  })

  test('an error thrown by the layer stream is passed through and stops the unpack', async () => {
    const { dir, dest } = await tmp()
    const boom = new Error('hmac mismatch from the decryptor')
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.alloc(512)
      await new Promise((r) => setImmediate(r))
      throw boom
    }
    for (const mediaType of ['application/vnd.oci.image.layer.v1.tar', 'application/vnd.oci.image.layer.v1.tar+gzip']) {
      const layer = { mediaType, stream: failing(), diffId: `sha256:${'0'.repeat(64)}` }
      await assert.rejects(unpackLayers([layer], dest), (e) => e === boom)
    }
    assert.deepEqual(await readdir(dir), [])
  })

  test('an existing non-empty destination is refused; an empty one is replaced', async () => {
    const { dest } = await tmp()
    await mkdir(dest)
    await writeFile(join(dest, 'x'), 'keep')
    await assert.rejects(unpackLayers([tarLayer([{ name: 'a', data: '1' }])], dest), { code: 'DEST_EXISTS' })
    assert.equal(await readFile(join(dest, 'x'), 'utf8'), 'keep')
    await rm(join(dest, 'x'))
    await unpackLayers([tarLayer([{ name: 'a', data: '1' }])], dest)
    assert.deepEqual(await listTree(dest), ['a f'])
  })

  test('a rejected verified promise wins over a diff_id mismatch (root cause first)', async () => {
    const { dir, dest } = await tmp()
    async function* layers(): AsyncGenerator<LayerToUnpack> {
      await new Promise((r) => setImmediate(r))
      const verified = Promise.reject(new Error('blob digest mismatch'))
      yield tarLayer([{ name: 'a', data: '1' }], { verified, diffId: `sha256:${'1'.repeat(64)}` })
    }
    await assert.rejects(unpackLayers(layers(), dest), { code: 'LAYER_NOT_VERIFIED', layer: 0 })
    assert.deepEqual(await readdir(dir), [])
  })

  test('options: maxEntrySize limit, malformed diff_id, malformed maxEntrySize', async () => {
    const { dir, dest } = await tmp()
    const big = tarLayer([{ name: 'big', data: 'x'.repeat(11) }])
    await assert.rejects(unpackLayers([big], dest, { maxEntrySize: 10 }), { code: 'ENTRY_TOO_LARGE', entry: 'big' })
    for (const diffId of ['sha256:ABC', `md5:${'0'.repeat(32)}`, `sha256:${'0'.repeat(63)}`]) {
      await assert.rejects(unpackLayers([tarLayer([], { diffId })], dest), { code: 'INVALID_OPTION' })
    }
    await assert.rejects(unpackLayers([], dest, { maxEntrySize: -1 }), { code: 'INVALID_OPTION' })
    assert.deepEqual(await readdir(dir), [])
    const ok = await unpackLayers([tarLayer([{ name: 'big', data: 'x'.repeat(10) }])], dest, { maxEntrySize: 10 })
    assert.equal(ok.layers[0]?.entries, 1)
  })

  test('an aborted signal stops the unpack and cleans up', async () => {
    const { dir, dest } = await tmp()
    const ac = new AbortController()
    ac.abort()
    await assert.rejects(unpackLayers([tarLayer([{ name: 'a', data: '1' }])], dest, { signal: ac.signal }), {
      code: 'ABORTED',
      entry: 'a',
    })
    assert.deepEqual(await readdir(dir), [])
  })

  test('unknown and still-encrypted media types', async () => {
    const { dir, dest } = await tmp()
    for (const mediaType of ['application/vnd.oci.image.layer.v1.tar+gzip+encrypted', 'application/octet-stream']) {
      await assert.rejects(unpackLayers([tarLayer([], { mediaType })], dest), { code: 'UNSUPPORTED_MEDIA_TYPE' })
    }
    assert.deepEqual(await readdir(dir), [])
  })
})
