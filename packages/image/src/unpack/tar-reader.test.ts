import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ByteReader } from './byte-reader.ts'
import { TarReader, type TarEntry } from './tar-reader.ts'
import { buildTar, chunked, tarHeader, type TestEntry } from './test-tar.ts'
import { UnpackError } from './unpack-error.ts'

const LIMITS = { maxEntrySize: 1024 * 1024, maxMetadataSize: 64 * 1024 }

async function readAll(tar: Buffer, chunk = 7): Promise<{ entry: TarEntry; data: string }[]> {
  const r = new TarReader(new ByteReader(chunked(tar, chunk), 'sha256'), LIMITS)
  const out: { entry: TarEntry; data: string }[] = []
  for (let e = await r.next(); e !== null; e = await r.next()) {
    const parts: Buffer[] = []
    for await (const p of r.data()) parts.push(Buffer.from(p))
    out.push({ entry: e, data: Buffer.concat(parts).toString() })
  }
  return out
}

async function rejectsWith(tar: Buffer, code: string, entry?: string): Promise<void> {
  await assert.rejects(readAll(tar), (e: unknown) => {
    assert.ok(e instanceof UnpackError, String(e))
    assert.equal(e.code, code, e.message)
    if (entry !== undefined) assert.equal(e.entry, entry)
    return true
  })
}

describe('TarReader', () => {
  test('reads ustar entries split across tiny chunks, including data and metadata', async () => {
    const tar = buildTar([
      { name: 'dir/', type: '5', mode: 0o750, uid: 1000, gid: 1001, mtime: 1600000000 },
      { name: 'dir/a.txt', data: 'hello\n', mode: 0o4755 },
      { name: 'dir/link', type: '2', linkname: '../etc/passwd' },
      { name: 'dir/hard', type: '1', linkname: 'dir/a.txt' },
      { name: 'dev/null', type: '3', devmajor: 1, devminor: 3, mode: 0o666 },
      { name: 'big', data: Buffer.alloc(1500, 0x61) },
    ])
    const got = await readAll(tar)
    assert.deepEqual(
      got.map((g) => [g.entry.path, g.entry.type, g.entry.size]),
      [
        ['dir/', 'dir', 0],
        ['dir/a.txt', 'file', 6],
        ['dir/link', 'symlink', 0],
        ['dir/hard', 'hardlink', 0],
        ['dev/null', 'char', 0],
        ['big', 'file', 1500],
      ],
    )
    assert.equal(got[0]!.entry.mode, 0o750)
    assert.equal(got[0]!.entry.uid, 1000)
    assert.equal(got[0]!.entry.gid, 1001)
    assert.equal(got[0]!.entry.mtime, 1600000000)
    assert.equal(got[1]!.data, 'hello\n')
    assert.equal(got[1]!.entry.mode, 0o4755)
    assert.equal(got[2]!.entry.linkname, '../etc/passwd')
    assert.equal(got[4]!.entry.devmajor, 1)
    assert.equal(got[4]!.entry.devminor, 3)
    assert.equal(got[5]!.data, 'a'.repeat(1500))
  })

  test('unread data is skipped by next()', async () => {
    const tar = buildTar([
      { name: 'a', data: 'x'.repeat(700) },
      { name: 'b', data: 'y' },
    ])
    const r = new TarReader(new ByteReader(chunked(tar, 100), 'sha256'), LIMITS)
    assert.equal((await r.next())?.path, 'a')
    assert.equal((await r.next())?.path, 'b')
    assert.equal(await r.next(), null)
  })

  test('pax records override path, linkpath, size, uid, gid and mtime; xattrs are collected', async () => {
    const long = `${'p'.repeat(150)}/file.txt`
    const tar = buildTar([
      {
        name: 'short',
        data: 'abc',
        pax: { path: long, uid: '70000', gid: '80000', mtime: '1700000000.5', 'SCHILY.xattr.user.k': 'v' },
      },
      { name: 'l', type: '2', linkname: 'x', pax: { linkpath: 'ü/'.repeat(60) } },
    ])
    const got = await readAll(tar)
    assert.equal(got[0]!.entry.path, long)
    assert.equal(got[0]!.entry.uid, 70000)
    assert.equal(got[0]!.entry.gid, 80000)
    assert.equal(got[0]!.entry.mtime, 1700000000.5)
    assert.equal(got[0]!.entry.xattrs.get('user.k')?.toString(), 'v')
    assert.equal(got[0]!.data, 'abc')
    assert.equal(got[1]!.entry.linkname, 'ü/'.repeat(60))
    assert.equal(got[1]!.entry.path, 'l')
  })

  test('a pax size larger than the header size governs the data length', async () => {
    const data = Buffer.alloc(600, 0x62)
    const body = Buffer.from('12 size=600\n')
    const tar = Buffer.concat([
      tarHeader({ name: 'pax', type: 'x' }, body.length),
      body,
      Buffer.alloc(512 - body.length),
      tarHeader({ name: 'f' }, 0),
      data,
      Buffer.alloc(424),
      Buffer.alloc(1024),
    ])
    const got = await readAll(tar)
    assert.equal(got[0]!.entry.size, 600)
    assert.equal(got[0]!.data, 'b'.repeat(600))
  })

  test('GNU long names and long links', async () => {
    const name = `${'n'.repeat(200)}/f`
    const link = `${'t'.repeat(180)}/target`
    const tar = buildTar([
      { name: '././@LongLink', type: 'L', data: `${name}\0`, magic: 'gnu' },
      { name: '././@LongLink', type: 'K', data: `${link}\0`, magic: 'gnu' },
      { name: name.slice(0, 99), type: '2', linkname: link.slice(0, 99), magic: 'gnu' },
    ])
    const got = await readAll(tar)
    assert.equal(got[0]!.entry.path, name)
    assert.equal(got[0]!.entry.linkname, link)
  })

  test('base-256 numbers are decoded', async () => {
    const sizeField = Buffer.alloc(12)
    sizeField[0] = 0x80
    sizeField.writeUInt32BE(5, 8)
    const tar = buildTar([{ name: 'f', data: 'hello', sizeField }])
    assert.equal((await readAll(tar))[0]?.data, 'hello')
  })

  test('a NUL type flag is a file, or a directory when the name ends with a slash', async () => {
    const got = await readAll(
      buildTar([
        { name: 'old-dir/', type: '\0' },
        { name: 'old-file', type: '\0', data: 'v7' },
      ]),
    )
    assert.deepEqual(
      got.map((g) => [g.entry.path, g.entry.type, g.data]),
      [
        ['old-dir/', 'dir', ''],
        ['old-file', 'file', 'v7'],
      ],
    )
  })

  test('a global pax header alone does not make the end of the archive a truncation', async () => {
    const tar = buildTar([{ name: 'f', data: 'x' }])
    const body = Buffer.from('17 comment=hello\n')
    const global = Buffer.concat([
      tarHeader({ name: 'g', type: 'g' }, body.length),
      body,
      Buffer.alloc(512 - body.length),
    ])
    const got = await readAll(Buffer.concat([global, tar]))
    assert.deepEqual(
      got.map((g) => g.entry.path),
      ['f'],
    )
    assert.deepEqual(await readAll(Buffer.concat([global, Buffer.alloc(1024)])), [])
  })

  test('end of input at a header boundary ends the archive (as Go archive/tar)', async () => {
    const got = await readAll(buildTar([{ name: 'f', data: 'x' }], false))
    assert.equal(got.length, 1)
  })

  test('bad checksum', () => rejectsWith(buildTar([{ name: 'f', data: 'x', checksumDelta: 1 }]), 'BAD_CHECKSUM', 'f'))
  test('non-octal numeric field', () => {
    const sizeField = Buffer.from('0000000009x\0')
    return rejectsWith(buildTar([{ name: 'f', sizeField }]), 'BAD_NUMBER', 'f')
  })
  test('huge base-256 size', () => {
    const sizeField = Buffer.alloc(12, 0xee)
    sizeField[0] = 0x80
    return rejectsWith(buildTar([{ name: 'f', sizeField }]), 'BAD_NUMBER', 'f')
  })
  test('negative base-256 size', () =>
    rejectsWith(buildTar([{ name: 'f', sizeField: Buffer.alloc(12, 0xff) }]), 'BAD_NUMBER'))
  test('size above the limit', () => {
    const sizeField = Buffer.from('77777777777\0')
    return rejectsWith(buildTar([{ name: 'f', sizeField }]), 'ENTRY_TOO_LARGE', 'f')
  })
  test('truncated inside data', () =>
    rejectsWith(buildTar([{ name: 'f', data: 'x'.repeat(1000) }]).subarray(0, 900), 'TRUNCATED', 'f'))
  test('truncated inside a header', () =>
    rejectsWith(buildTar([{ name: 'f', data: 'x' }]).subarray(0, 1100), 'TRUNCATED'))
  test('truncated after a pax header', () => {
    const tar = buildTar([{ name: 'f', pax: { path: 'g' } }], false)
    return rejectsWith(tar.subarray(0, 1024), 'TRUNCATED')
  })
  test('unknown magic', () => rejectsWith(buildTar([{ name: 'f', magic: 'none' }]), 'BAD_HEADER', 'f'))
  test('sparse entries are unsupported', () =>
    rejectsWith(buildTar([{ name: 's', type: 'S' }]), 'UNSUPPORTED_ENTRY', 's'))
  test('GNU sparse pax records are unsupported', () =>
    rejectsWith(buildTar([{ name: 's', pax: { 'GNU.sparse.major': '1' } }]), 'UNSUPPORTED_ENTRY'))
  test('malformed pax record length', () => {
    const body = Buffer.from('99 path=x\n')
    const tar = Buffer.concat([
      tarHeader({ name: 'p', type: 'x' }, body.length),
      body,
      Buffer.alloc(502),
      Buffer.alloc(1024),
    ])
    return rejectsWith(tar, 'BAD_PAX', 'p')
  })
  test('non-numeric pax size', () => rejectsWith(buildTar([{ name: 'f', pax: { size: '1e9' } }]), 'BAD_NUMBER'))
  test('non-UTF-8 name', () => {
    const e: TestEntry = { name: '', nameBytes: Buffer.from([0x61, 0xff, 0x62]) }
    return rejectsWith(buildTar([e]), 'PATH_INVALID', 'a\u00ffb')
  })
})
