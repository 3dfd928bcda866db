import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { open, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { StorageError } from './errors.ts'
import { createFsStorage } from './fs-storage.ts'
import { storageContract } from './storage-contract.ts'

const base = mkdtempSync(join(tmpdir(), 'carapace-fs-unsynced-'))
after(() => {
  rmSync(base, { recursive: true, force: true })
})
let counter = 0
const freshDir = (): string => join(base, `s${counter++}`)
const text = (s: string): Uint8Array => new TextEncoder().encode(s)

// Every namespace the contract uses: the guarantees do not depend on fsync.
const CONTRACT_NAMESPACES = ['big', 'bin', 'kbs', 'long', 'ns', 'race', 'reference_value', 'repository', 'sessions']
storageContract('fs with unsynced namespaces', () =>
  createFsStorage({ dir: freshDir(), unsyncedNamespaces: CONTRACT_NAMESPACES }),
)

/** Counts FileHandle.sync() calls (files and directories) made while `fn` runs. */
async function countSyncs(fn: () => Promise<void>): Promise<number> {
  const probe = await open(join(base, 'probe'), 'w')
  const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> }
  await probe.close()
  const original = proto.sync
  let calls = 0
  proto.sync = function (this: unknown) {
    calls += 1
    return original.call(this)
  }
  try {
    await fn()
  } finally {
    proto.sync = original
  }
  return calls
}

describe('fs storage: unsynced namespaces', () => {
  test('writes to an unsynced namespace make no fsync; other namespaces still do', async () => {
    const s = await createFsStorage({ dir: freshDir(), unsyncedNamespaces: ['kbs_protocol_session'] })
    await s.put('kbs_protocol_session', 'warm', text('dirs exist'))
    await s.put('repository', 'warm', text('dirs exist'))
    const session = await countSyncs(async () => {
      assert.equal(await s.putIfAbsent('kbs_protocol_session', 'a1', text('authed')), true)
      assert.equal(await s.compareAndSwap('kbs_protocol_session', 'a1', text('authed'), text('attested')), true)
      await s.put('kbs_protocol_session', 'a1', text('again'))
      assert.equal(await s.delete('kbs_protocol_session', 'a1'), true)
    })
    assert.equal(session, 0)
    const resource = await countSyncs(async () => {
      await s.put('repository', 'default/key/one', text('secret'))
    })
    assert.ok(resource >= 2, `file and directory synced, got ${String(resource)}`)
    await s.close()
  })

  test('fsync: false syncs nothing at all', async () => {
    const s = await createFsStorage({ dir: freshDir(), fsync: false })
    const syncs = await countSyncs(async () => {
      await s.put('repository', 'default/key/one', text('secret'))
      assert.equal(await s.putIfAbsent('kbs', 'p', text('x')), true)
    })
    assert.equal(syncs, 0)
    await s.close()
  })

  test('a namespace directory removed behind a running instance is created again by the next write', async () => {
    const dir = freshDir()
    const s = await createFsStorage({ dir, unsyncedNamespaces: ['kbs_protocol_session'] })
    await s.put('repository', 'k', text('one'))
    assert.equal(await s.putIfAbsent('kbs_protocol_session', 'id', text('authed')), true)
    await rm(join(dir, 'repository'), { recursive: true })
    await rm(join(dir, 'kbs_protocol_session'), { recursive: true })
    assert.equal(await s.get('repository', 'k'), undefined)
    await s.put('repository', 'k', text('two'))
    assert.deepEqual(await s.get('repository', 'k'), text('two'))
    assert.equal(await s.putIfAbsent('kbs_protocol_session', 'id', text('authed')), true)
    assert.deepEqual(await readdir(join(dir, 'kbs_protocol_session')), ['id'])
    await rm(join(dir, 'repository'), { recursive: true })
    assert.equal(await s.delete('repository', 'k'), false)
    await s.close()
  })

  test('values around the synchronous read size (16 KiB) round-trip exactly', async () => {
    const s = await createFsStorage({ dir: freshDir(), unsyncedNamespaces: ['kbs_protocol_session'] })
    for (const size of [0, 1, 16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 64 * 1024, 64 * 1024 + 1, 200 * 1024]) {
      const value = new Uint8Array(size)
      for (let i = 0; i < size; i += 1) value[i] = (i * 31 + size) % 251
      for (const namespace of ['kbs_protocol_session', 'repository']) {
        await s.put(namespace, `v${String(size)}`, value)
        const read = await s.get(namespace, `v${String(size)}`)
        assert.ok(read !== undefined && Buffer.from(read).equals(value), `${namespace} ${String(size)} bytes`)
        assert.equal(await s.putIfAbsent(namespace, `n${String(size)}`, value), true)
        assert.deepEqual(await s.get(namespace, `n${String(size)}`), value)
      }
    }
    await s.close()
  })

  test('an invalid namespace in unsyncedNamespaces is INVALID_KEY', async () => {
    await assert.rejects(
      createFsStorage({ dir: freshDir(), unsyncedNamespaces: ['../escape'] }),
      (error: unknown) => error instanceof StorageError && error.code === 'INVALID_KEY',
    )
  })
})
