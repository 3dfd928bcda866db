import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { StorageError } from './errors.ts'
import { createLocalJsonStorage } from './local-json-storage.ts'
import { storageContract } from './storage-contract.ts'

const base = mkdtempSync(join(tmpdir(), 'carapace-local-json-'))
after(() => {
  rmSync(base, { recursive: true, force: true })
})
let counter = 0
const freshDir = (): string => join(base, `j${counter++}`)
const text = (s: string): Uint8Array => new TextEncoder().encode(s)

storageContract('local_json', () => createLocalJsonStorage({ dir: freshDir(), fsync: false }))

describe('LocalJson storage (upstream layout)', () => {
  test('one file per namespace, <dir>/<namespace>: {"key": URL-safe base64 with padding}, 0600, no temp files', async () => {
    const dir = freshDir()
    const s = await createLocalJsonStorage({ dir })
    await s.put('repository', 'default/key/one', new Uint8Array([0xfb, 0xff, 0x3e]))
    await s.put('repository', 'default/key/two', text('ab'))
    await s.put('kbs', 'resource-policy.rego', text('package policy'))
    await s.close()
    assert.deepEqual((await readdir(dir)).sort(), ['kbs', 'repository'])
    assert.deepEqual(JSON.parse(await readFile(join(dir, 'repository'), 'utf8')), {
      'default/key/one': '-_8-',
      'default/key/two': 'YWI=',
    })
    assert.equal((await stat(join(dir, 'repository'))).mode & 0o777, 0o600)
    assert.equal((await stat(dir)).mode & 0o777, 0o700)
  })

  test('reads a file upstream wrote, including TTL entries (hidden once expired, dropped on the next write)', async () => {
    const dir = freshDir()
    await mkdir(dir)
    const upstream = {
      'default/a/b': Buffer.from('plain').toString('base64'),
      live: { value: Buffer.from('session').toString('base64url'), expires_at: 2_000 },
      gone: { value: Buffer.from('old').toString('base64url'), expires_at: 1_000 },
    }
    await writeFile(join(dir, 'kbs_protocol_session'), JSON.stringify(upstream))
    let now = 1_500
    const s = await createLocalJsonStorage({ dir, nowMs: () => now })
    assert.deepEqual(await s.get('kbs_protocol_session', 'default/a/b'), text('plain'))
    assert.deepEqual(await s.get('kbs_protocol_session', 'live'), text('session'))
    assert.equal(await s.get('kbs_protocol_session', 'gone'), undefined)
    assert.deepEqual(await s.list('kbs_protocol_session'), ['default/a/b', 'live'])
    assert.equal(await s.putIfAbsent('kbs_protocol_session', 'gone', text('new')), true)
    const written = JSON.parse(await readFile(join(dir, 'kbs_protocol_session'), 'utf8')) as Record<string, unknown>
    assert.deepEqual(written['live'], upstream.live)
    assert.equal(written['gone'], 'bmV3')
    now = 2_000
    assert.equal(await s.get('kbs_protocol_session', 'live'), undefined)
    await s.close()
  })

  test('a malformed file is an IO_ERROR naming it, and is not overwritten', async () => {
    const dir = freshDir()
    await mkdir(dir)
    await writeFile(join(dir, 'repository'), '{"k": 42}')
    await writeFile(join(dir, 'kbs'), 'not json')
    const s = await createLocalJsonStorage({ dir })
    for (const attempt of [
      () => s.get('repository', 'k'),
      () => s.put('repository', 'x', text('v')),
      () => s.list('kbs'),
    ]) {
      await assert.rejects(attempt(), (error: unknown) => {
        assert.ok(error instanceof StorageError)
        assert.equal(error.code, 'IO_ERROR')
        assert.match(error.message, /LocalJson file .*(repository|kbs)/)
        return true
      })
    }
    assert.equal(await readFile(join(dir, 'repository'), 'utf8'), '{"k": 42}')
    await s.close()
  })

  test('namespaces that cannot be file names get a digest name, apart from the plain ones', async () => {
    const dir = freshDir()
    const s = await createLocalJsonStorage({ dir })
    await s.put('repository', 'k', text('1'))
    await s.put('repository/sub', 'k', text('2'))
    await s.close()
    const names = await readdir(dir)
    assert.equal(names.length, 2)
    assert.ok(names.includes('repository'))
    assert.ok(names.some((name) => /^~[0-9a-f]{64}$/.test(name)))
  })
})
