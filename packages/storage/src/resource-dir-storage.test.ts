import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { StorageError } from './errors.ts'
import { createResourceDirStorage } from './resource-dir-storage.ts'

const base = mkdtempSync(join(tmpdir(), 'carapace-resource-dir-'))
after(() => {
  rmSync(base, { recursive: true, force: true })
})
let counter = 0
const freshDir = (): string => join(base, `r${counter++}`)
const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const mode = async (path: string): Promise<number> => (await stat(path)).mode & 0o777

async function rejectsWith(promise: Promise<unknown>, code: string, mentions?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof StorageError, String(error))
    assert.equal(error.code, code)
    if (mentions !== undefined) assert.match(error.message, mentions)
    return true
  })
}

describe('resource directory storage (upstream LocalFs resource plugin layout)', () => {
  test('<dir>/<repo>/<type>/<tag>: plain bytes, files 0600, directories 0700, no temp files left', async () => {
    const dir = freshDir()
    const s = await createResourceDirStorage({ dir })
    await s.put('repository', 'default/key/one', text('secret'))
    await s.put('repository', 'default/key/one', text('secret 2'))
    assert.equal(await readFile(join(dir, 'default', 'key', 'one'), 'utf8'), 'secret 2')
    assert.equal(await mode(join(dir, 'default', 'key', 'one')), 0o600)
    assert.equal(await mode(join(dir, 'default')), 0o700)
    assert.equal(await mode(join(dir, 'default', 'key')), 0o700)
    assert.deepEqual(await readdir(join(dir, 'default', 'key')), ['one'])
    assert.deepEqual(await s.get('repository', 'default/key/one'), text('secret 2'))
    assert.deepEqual(await s.list('repository'), ['default/key/one'])
    assert.equal(await s.delete('repository', 'default/key/one'), true)
    assert.equal(await s.delete('repository', 'default/key/one'), false)
    assert.equal(await s.get('repository', 'default/key/one'), undefined)
    assert.equal(await s.get('repository', 'nothing/at/all'), undefined)
    await s.close()
  })

  test('files put there by hand are served, also Kubernetes secret mounts (symlinks into ..data/)', async () => {
    const dir = freshDir()
    await mkdir(join(dir, 'default', 'kbsres1'), { recursive: true })
    await writeFile(join(dir, 'default', 'kbsres1', 'key1'), 'by hand')
    const secret = join(dir, 'default', 'mounted')
    await mkdir(join(secret, '..2025_01_01_00_00_00.1'), { recursive: true })
    await writeFile(join(secret, '..2025_01_01_00_00_00.1', 'key2'), 'from a secret')
    await symlink('..2025_01_01_00_00_00.1', join(secret, '..data'))
    await symlink(join('..data', 'key2'), join(secret, 'key2'))
    const s = await createResourceDirStorage({ dir })
    assert.deepEqual(await s.get('repository', 'default/kbsres1/key1'), text('by hand'))
    assert.deepEqual(await s.get('repository', 'default/mounted/key2'), text('from a secret'))
    assert.deepEqual(await s.list('repository'), ['default/kbsres1/key1', 'default/mounted/key2'])
    assert.deepEqual(await s.list('repository', 'default/m'), ['default/mounted/key2'])
    await s.close()
  })

  test('symlinks leading out of the directory are refused for reads, writes and listing', async () => {
    const dir = freshDir()
    const outsideDir = join(base, `outside-${String(counter)}`)
    await mkdir(outsideDir, { recursive: true })
    await writeFile(join(outsideDir, 'passwd'), 'not yours')
    await mkdir(join(dir, 'default', 'type'), { recursive: true })
    await symlink(join(outsideDir, 'passwd'), join(dir, 'default', 'type', 'leak'))
    await symlink(outsideDir, join(dir, 'escape'))
    await mkdir(join(outsideDir, 'type'))
    await writeFile(join(outsideDir, 'type', 'secret'), 'not yours either')
    const s = await createResourceDirStorage({ dir })
    await rejectsWith(s.get('repository', 'default/type/leak'), 'IO_ERROR', /leads outside the resource directory/)
    await rejectsWith(s.get('repository', 'escape/type/secret'), 'IO_ERROR', /leads outside/)
    await rejectsWith(s.put('repository', 'escape/type/new', text('x')), 'IO_ERROR', /leads outside/)
    await rejectsWith(s.putIfAbsent('repository', 'escape/other/new', text('x')), 'IO_ERROR', /leads outside/)
    await rejectsWith(s.delete('repository', 'escape/type/secret'), 'IO_ERROR', /leads outside/)
    assert.deepEqual(await readdir(join(outsideDir, 'type')), ['secret'])
    assert.deepEqual((await readdir(outsideDir)).sort(), ['passwd', 'type'])
    assert.equal(await readFile(join(outsideDir, 'passwd'), 'utf8'), 'not yours')
    assert.deepEqual(await s.list('repository'), [])
    // Overwriting the escaping link replaces the link; nothing is written through it.
    await s.put('repository', 'default/type/leak', text('replaced'))
    assert.equal(await readFile(join(outsideDir, 'passwd'), 'utf8'), 'not yours')
    assert.deepEqual(await s.get('repository', 'default/type/leak'), text('replaced'))
    await s.close()
  })

  test('keys that are not resource paths, and other namespaces, are INVALID_KEY before any I/O', async () => {
    const dir = freshDir()
    const s = await createResourceDirStorage({ dir })
    for (const key of ['../etc/passwd', 'default/../x', 'a/b', 'a/b/c/d', 'default/.hidden/x', 'a/b/.c', '/a/b/c']) {
      await rejectsWith(s.get('repository', key), 'INVALID_KEY')
      await rejectsWith(s.put('repository', key, text('x')), 'INVALID_KEY')
      await rejectsWith(s.delete('repository', key), 'INVALID_KEY')
    }
    await rejectsWith(s.get('kbs', 'resource-policy.rego'), 'INVALID_KEY', /not kept in a resource directory/)
    assert.deepEqual(await readdir(dir), [])
    await s.close()
  })

  test('putIfAbsent: of 20 concurrent calls one wins; compareAndSwap replaces or deletes on a byte match', async () => {
    const s = await createResourceDirStorage({ dir: freshDir(), fsync: false })
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => s.putIfAbsent('repository', 'r/t/id', text(`writer-${String(i)}`))),
    )
    assert.equal(results.filter(Boolean).length, 1)
    const winner = results.indexOf(true)
    assert.deepEqual(await s.get('repository', 'r/t/id'), text(`writer-${String(winner)}`))
    assert.equal(await s.compareAndSwap('repository', 'r/t/id', text('other'), text('next')), false)
    assert.equal(await s.compareAndSwap('repository', 'r/t/id', text(`writer-${String(winner)}`), text('next')), true)
    assert.deepEqual(await s.get('repository', 'r/t/id'), text('next'))
    assert.equal(await s.compareAndSwap('repository', 'r/t/id', text('next'), undefined), true)
    assert.deepEqual(await s.list('repository'), [])
    await s.close()
    await rejectsWith(s.get('repository', 'r/t/id'), 'CLOSED')
  })
})
