import assert from 'node:assert/strict'
import { mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { buildTar, chunked, sha256DiffId, type TestEntry } from './test-tar.ts'
import { unpackLayers, type LayerToUnpack } from './unpack-layers.ts'
import { scratch, tarLayer, TAR } from './unpack-test-support.ts'
import { UnpackError } from './unpack-error.ts'

const dirs: string[] = []
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

/** Unpacks into a fresh scratch dir that also holds an `outside/` sentinel; nothing may change. */
async function refused(layers: LayerToUnpack[], code: string, entry?: string): Promise<void> {
  const { dir, dest } = await scratch()
  dirs.push(dir)
  await mkdir(join(dir, 'outside'))
  await writeFile(join(dir, 'outside', 'passwd'), 'root:x:0:0')
  await assert.rejects(unpackLayers(layers, dest, { devices: 'skip' }), (e: unknown) => {
    assert.ok(e instanceof UnpackError, String(e))
    assert.equal(e.code, code, e.message)
    if (entry !== undefined) assert.equal(e.entry, entry)
    return true
  })
  assert.deepEqual(await readdir(dir), ['outside'], 'no destination and no staging directory left')
  assert.deepEqual(await readdir(join(dir, 'outside')), ['passwd'])
}

const raw = (tar: Buffer): LayerToUnpack => ({ mediaType: TAR, stream: chunked(tar, 512), diffId: sha256DiffId(tar) })
const one = (entries: TestEntry[]): LayerToUnpack[] => [tarLayer(entries)]

describe('unpackLayers refuses malicious archives', () => {
  test('../x', () => refused(one([{ name: '../x', data: 'x' }]), 'PATH_ESCAPE', '../x'))
  test('a/../../x', () => refused(one([{ name: 'a/../../x', data: 'x' }]), 'PATH_ESCAPE', 'a/../../x'))
  test('/etc/x', () => refused(one([{ name: '/etc/x', data: 'x' }]), 'PATH_ESCAPE', '/etc/x'))
  test('NUL in a pax path', () => refused(one([{ name: 'ok', pax: { path: 'a\u0000b' } }]), 'PATH_INVALID'))

  test('symlink to a directory, then a file through it (same layer)', () =>
    refused(
      one([
        { name: 'link', type: '2', linkname: '../outside' },
        { name: 'link/passwd', data: 'owned' },
      ]),
      'PATH_THROUGH_SYMLINK',
      'link/passwd',
    ))

  test('symlink in a lower layer, file through it in the next', () =>
    refused(
      [tarLayer([{ name: 'etc', type: '2', linkname: '/etc' }]), tarLayer([{ name: 'etc/shadow', data: 'x' }])],
      'PATH_THROUGH_SYMLINK',
      'etc/shadow',
    ))

  test('symlink then a directory entry through it', () =>
    refused(
      one([
        { name: 'l', type: '2', linkname: '/tmp' },
        { name: 'l/sub/', type: '5' },
      ]),
      'PATH_THROUGH_SYMLINK',
    ))

  test('hard link to outside the root', () =>
    refused(one([{ name: 'h', type: '1', linkname: '../outside/passwd' }]), 'LINK_TARGET_INVALID', 'h'))
  test('hard link to an absolute path', () =>
    refused(one([{ name: 'h', type: '1', linkname: '/etc/passwd' }]), 'LINK_TARGET_INVALID', 'h'))
  test('hard link through a symlinked parent', () =>
    refused(
      one([
        { name: 'l', type: '2', linkname: '../outside' },
        { name: 'h', type: '1', linkname: 'l/passwd' },
      ]),
      'LINK_TARGET_INVALID',
      'h',
    ))
  test('hard link to a target not yet extracted', () =>
    refused(one([{ name: 'h', type: '1', linkname: 'later' }]), 'LINK_TARGET_INVALID', 'h'))
  test('hard link to a directory', () =>
    refused(
      one([
        { name: 'd/', type: '5' },
        { name: 'h', type: '1', linkname: 'd' },
      ]),
      'LINK_TARGET_INVALID',
      'h',
    ))

  test('whiteout of ..', () => refused(one([{ name: 'a/.wh...' }]), 'PATH_ESCAPE', 'a/.wh...'))
  test('whiteout of .', () => refused(one([{ name: 'a/.wh..' }]), 'PATH_INVALID', 'a/.wh..'))
  test('whiteout naming nothing', () => refused(one([{ name: '.wh.' }]), 'PATH_INVALID', '.wh.'))
  test('whiteout through a symlink', () =>
    refused(
      [tarLayer([{ name: 'l', type: '2', linkname: '../outside' }]), tarLayer([{ name: 'l/.wh.passwd' }])],
      'PATH_THROUGH_SYMLINK',
    ))
  test('opaque marker through a symlink', () =>
    refused(
      [tarLayer([{ name: 'l', type: '2', linkname: '../outside' }]), tarLayer([{ name: 'l/.wh..wh..opq' }])],
      'PATH_THROUGH_SYMLINK',
    ))

  test('pax path override escaping the root', () =>
    refused(
      one([{ name: 'innocent', data: 'x', pax: { path: '../../outside/passwd' } }]),
      'PATH_ESCAPE',
      '../../outside/passwd',
    ))
  test('pax linkpath override escaping (hard link)', () =>
    refused(
      one([{ name: 'h', type: '1', linkname: 'ok', pax: { linkpath: '../outside/passwd' } }]),
      'LINK_TARGET_INVALID',
    ))
  test('GNU long name escaping the root', () =>
    refused(
      one([
        { name: '././@LongLink', type: 'L', data: '../outside/x\0', magic: 'gnu' },
        { name: 'fine', data: 'x', magic: 'gnu' },
      ]),
      'PATH_ESCAPE',
      '../outside/x',
    ))

  test('device file when devices are refused', async () => {
    const { dir, dest } = await scratch()
    dirs.push(dir)
    const layers = one([{ name: 'dev/sda', type: '4', devmajor: 8, devminor: 0 }])
    await assert.rejects(unpackLayers(layers, dest, { devices: 'reject' }), {
      code: 'DEVICE_NOT_ALLOWED',
      entry: 'dev/sda',
    })
    assert.deepEqual(await readdir(dir), [])
  })

  test('truncated archive', () =>
    refused([raw(buildTar([{ name: 'f', data: 'x'.repeat(2000) }]).subarray(0, 1500))], 'TRUNCATED', 'f'))
  test('bad checksum', () =>
    refused(
      one([
        { name: 'ok', data: '1' },
        { name: 'f', checksumDelta: 3 },
      ]),
      'BAD_CHECKSUM',
      'f',
    ))
  test('huge size field', () => {
    const sizeField = Buffer.alloc(12)
    sizeField[0] = 0x80
    sizeField.writeUInt32BE(0x7fffffff, 6) // 140 TB: a safe integer, far above the limit
    return refused(one([{ name: 'f', sizeField }]), 'ENTRY_TOO_LARGE', 'f')
  })

  test('a symlink planted in the destination parent is not followed', async () => {
    const { dir, dest } = await scratch()
    dirs.push(dir)
    await mkdir(join(dir, 'outside'))
    await symlink(join(dir, 'outside'), dest)
    await assert.rejects(unpackLayers(one([{ name: 'f', data: 'x' }]), dest), { code: 'DEST_EXISTS' })
    assert.deepEqual(await readdir(join(dir, 'outside')), [])
  })
})
