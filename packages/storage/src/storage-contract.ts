import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { StorageError } from './errors.ts'
import type { StorageErrorCode } from './errors.ts'
import type { Storage } from './storage.ts'

/*
 * The behaviour every Storage backend must show. A backend's test file calls
 * `storageContract('fs', makeStorage)`; each test gets a fresh, empty storage from `makeStorage`
 * and closes it at the end. It imports node:test, so it is not in the package's main entry: a
 * backend outside this package imports it from `@carapace/storage/contract`.
 */

const text = (s: string): Uint8Array => new TextEncoder().encode(s)

async function rejectsWith(promise: Promise<unknown>, code: StorageErrorCode, mentions?: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof StorageError, `expected a StorageError, got ${String(error)}`)
    assert.equal(error.code, code)
    if (mentions !== undefined) assert.ok(error.message.includes(mentions), `message ${error.message}`)
    return true
  })
}

export const INVALID_NAMES: readonly string[] = [
  '',
  '/abs',
  '.hidden',
  'a//b',
  'a/',
  'a/../b',
  '..',
  'a/./b',
  'a/..',
  'sp ace',
  'a\\b',
  'é',
  'a%2Fb',
  'tab\t',
  'x'.repeat(257),
]

export function storageContract(name: string, makeStorage: () => Promise<Storage>): void {
  async function withStorage(fn: (storage: Storage) => Promise<void>): Promise<void> {
    const storage = await makeStorage()
    try {
      await fn(storage)
    } finally {
      await storage.close()
    }
  }

  describe(`Storage contract: ${name}`, () => {
    test('get of an absent key is undefined; put then get returns the bytes; put overwrites', () =>
      withStorage(async (s) => {
        assert.equal(await s.get('kbs', 'policy'), undefined)
        await s.put('kbs', 'policy', text('one'))
        assert.deepEqual(await s.get('kbs', 'policy'), text('one'))
        await s.put('kbs', 'policy', text('second value'))
        assert.deepEqual(await s.get('kbs', 'policy'), text('second value'))
        await s.put('kbs', 'policy', new Uint8Array(0))
        assert.deepEqual(await s.get('kbs', 'policy'), new Uint8Array(0))
      }))

    test('values are copied in and out (plain Uint8Array out, even for Buffer in)', () =>
      withStorage(async (s) => {
        const value = Buffer.from('abc')
        await s.put('ns', 'k', value)
        value[0] = 0x7a
        const read = await s.get('ns', 'k')
        assert.deepEqual(read, text('abc'))
        read[1] = 0x7a
        assert.deepEqual(await s.get('ns', 'k'), text('abc'))
      }))

    test('binary values: all 256 byte values round-trip', () =>
      withStorage(async (s) => {
        const all = new Uint8Array(512)
        for (let i = 0; i < all.length; i++) all[i] = (i * 7) % 256
        const each = Uint8Array.from({ length: 256 }, (_, i) => i)
        await s.put('bin', 'all', all)
        await s.put('bin', 'each', each)
        assert.deepEqual(await s.get('bin', 'all'), all)
        assert.deepEqual(await s.get('bin', 'each'), each)
      }))

    test('large values: 10 MiB round-trips', () =>
      withStorage(async (s) => {
        const big = new Uint8Array(10 * 1024 * 1024)
        for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) % 256
        big[big.length - 1] = 0xff
        await s.put('big', 'blob', big)
        const read = await s.get('big', 'blob')
        assert.ok(read !== undefined && Buffer.from(read).equals(big))
      }))

    test('readers racing overwrites see a whole old or new value, never a torn one', () =>
      withStorage(async (s) => {
        const a = new Uint8Array(256 * 1024).fill(0xaa)
        const b = new Uint8Array(256 * 1024 + 1).fill(0xbb)
        await s.put('torn', 'k', a)
        const writes = Array.from({ length: 10 }, (_, i) => s.put('torn', 'k', i % 2 === 0 ? b : a))
        const reads = Array.from({ length: 30 }, () => s.get('torn', 'k'))
        await Promise.all(writes)
        for (const read of await Promise.all(reads)) {
          assert.ok(read !== undefined)
          const whole = read.length === a.length ? read.every((x) => x === 0xaa) : read.every((x) => x === 0xbb)
          assert.ok(whole && (read.length === a.length || read.length === b.length), `torn read of ${read.length}`)
        }
        // The ten writes were concurrent, so any of them may be the last.
        const last = await s.get('torn', 'k')
        assert.ok(last !== undefined && (last.length === a.length || last.length === b.length))
      }))

    test('namespaces are isolated', () =>
      withStorage(async (s) => {
        await s.put('repository', 'k', text('repo'))
        await s.put('kbs', 'k', text('kbs'))
        await s.put('repository/sub', 'k', text('nested'))
        assert.deepEqual(await s.get('repository', 'k'), text('repo'))
        assert.deepEqual(await s.get('kbs', 'k'), text('kbs'))
        assert.deepEqual(await s.get('repository/sub', 'k'), text('nested'))
        assert.equal(await s.get('reference_value', 'k'), undefined)
        assert.deepEqual(await s.list('kbs'), ['k'])
        assert.deepEqual(await s.list('unknown_namespace'), [])
        assert.equal(await s.delete('kbs', 'k'), true)
        assert.deepEqual(await s.get('repository', 'k'), text('repo'))
      }))

    test('keys with "/" are distinct keys, not directories', () =>
      withStorage(async (s) => {
        await s.put('repository', 'default/key/one', text('1'))
        await s.put('repository', 'default/key', text('2'))
        await s.put('repository', 'default', text('3'))
        await s.put('repository', 'default-key-one', text('4'))
        assert.deepEqual(await s.get('repository', 'default/key/one'), text('1'))
        assert.deepEqual(await s.get('repository', 'default/key'), text('2'))
        assert.deepEqual(await s.get('repository', 'default'), text('3'))
        assert.deepEqual(await s.list('repository'), ['default', 'default-key-one', 'default/key', 'default/key/one'])
        assert.equal(await s.delete('repository', 'default/key'), true)
        assert.deepEqual(await s.get('repository', 'default/key/one'), text('1'))
      }))

    test('the longest keys (256 characters, many "/") work', () =>
      withStorage(async (s) => {
        const plain = 'k'.repeat(256)
        const slashy = Array.from({ length: 128 }, () => 'a').join('/') + 'b'
        const dotty = 'a'.repeat(254) + '..'
        assert.equal(slashy.length, 256)
        for (const key of [plain, slashy, dotty]) {
          assert.equal(await s.putIfAbsent('long', key, text(key.slice(-5))), true)
          assert.deepEqual(await s.get('long', key), text(key.slice(-5)))
        }
        assert.deepEqual(await s.list('long'), [plain, slashy, dotty].sort())
        assert.equal(await s.delete('long', slashy), true)
        assert.deepEqual(await s.list('long'), [plain, dotty].sort())
        const longNamespace = 'n/'.repeat(127) + 'ns'
        await s.put(longNamespace, plain, text('x'))
        assert.deepEqual(await s.list(longNamespace), [plain])
      }))

    test('list: sorted by code unit, filtered by prefix', () =>
      withStorage(async (s) => {
        const keys = ['b', 'a/z', 'a/b/c', 'A', 'a', 'a.b', 'a-b', 'a_b', '0', 'z/9', 'a/b']
        for (const key of keys) await s.put('ns', key, text(key))
        assert.deepEqual(await s.list('ns'), [...keys].sort())
        assert.deepEqual(await s.list('ns', 'a/'), ['a/b', 'a/b/c', 'a/z'])
        assert.deepEqual(await s.list('ns', 'a/b'), ['a/b', 'a/b/c'])
        assert.deepEqual(await s.list('ns', ''), [...keys].sort())
        assert.deepEqual(await s.list('ns', 'q'), [])
      }))

    test('putIfAbsent writes only when absent', () =>
      withStorage(async (s) => {
        assert.equal(await s.putIfAbsent('ns', 'session', text('first')), true)
        assert.equal(await s.putIfAbsent('ns', 'session', text('second')), false)
        assert.deepEqual(await s.get('ns', 'session'), text('first'))
        await s.delete('ns', 'session')
        assert.equal(await s.putIfAbsent('ns', 'session', text('third')), true)
        assert.deepEqual(await s.get('ns', 'session'), text('third'))
      }))

    test('putIfAbsent race: of 50 concurrent calls exactly one wins, and its value stays', () =>
      withStorage(async (s) => {
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => s.putIfAbsent('race', 'id', text(`writer-${i}`))),
        )
        const winners = results.flatMap((won, i) => (won ? [i] : []))
        assert.equal(winners.length, 1)
        assert.deepEqual(await s.get('race', 'id'), text(`writer-${String(winners[0])}`))
        assert.deepEqual(await s.list('race'), ['id'])
      }))

    test('compareAndSwap replaces or deletes only on an exact byte match', () =>
      withStorage(async (s) => {
        assert.equal(await s.compareAndSwap('ns', 'k', text('x'), text('y')), false)
        assert.equal(await s.get('ns', 'k'), undefined)
        await s.put('ns', 'k', text('authed'))
        assert.equal(await s.compareAndSwap('ns', 'k', text('authe'), text('attested')), false)
        assert.equal(await s.compareAndSwap('ns', 'k', text('authed!'), text('attested')), false)
        assert.deepEqual(await s.get('ns', 'k'), text('authed'))
        assert.equal(await s.compareAndSwap('ns', 'k', text('authed'), text('attested')), true)
        assert.deepEqual(await s.get('ns', 'k'), text('attested'))
        assert.equal(await s.compareAndSwap('ns', 'k', text('authed'), undefined), false)
        assert.equal(await s.compareAndSwap('ns', 'k', text('attested'), undefined), true)
        assert.equal(await s.get('ns', 'k'), undefined)
        assert.deepEqual(await s.list('ns'), [])
      }))

    test('compareAndSwap race: of 20 concurrent transitions from one state exactly one wins', () =>
      withStorage(async (s) => {
        await s.put('sessions', 'id', text('Authed'))
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            s.compareAndSwap('sessions', 'id', text('Authed'), text(`Attested-${i}`)),
          ),
        )
        const winners = results.flatMap((won, i) => (won ? [i] : []))
        assert.equal(winners.length, 1)
        assert.deepEqual(await s.get('sessions', 'id'), text(`Attested-${String(winners[0])}`))
      }))

    test('compareAndSwap as a counter: concurrent read-modify-write loses no increment', () =>
      withStorage(async (s) => {
        await s.put('ns', 'counter', text('0'))
        async function increment(): Promise<void> {
          for (;;) {
            const current = await s.get('ns', 'counter')
            assert.ok(current !== undefined)
            const next = text(String(Number(new TextDecoder().decode(current)) + 1))
            if (await s.compareAndSwap('ns', 'counter', current, next)) return
          }
        }
        await Promise.all(Array.from({ length: 25 }, () => increment()))
        assert.deepEqual(await s.get('ns', 'counter'), text('25'))
      }))

    test('delete removes and returns whether the key existed', () =>
      withStorage(async (s) => {
        assert.equal(await s.delete('ns', 'k'), false)
        await s.put('ns', 'k', text('v'))
        assert.equal(await s.delete('ns', 'k'), true)
        assert.equal(await s.delete('ns', 'k'), false)
        assert.equal(await s.get('ns', 'k'), undefined)
        assert.deepEqual(await s.list('ns'), [])
      }))

    test('invalid keys and namespaces are rejected by every operation, naming them', () =>
      withStorage(async (s) => {
        const v = text('v')
        for (const bad of INVALID_NAMES) {
          const shown = JSON.stringify(bad.slice(0, 10)).slice(1, -1)
          await rejectsWith(s.get('ns', bad), 'INVALID_KEY', shown)
          await rejectsWith(s.put('ns', bad, v), 'INVALID_KEY', shown)
          await rejectsWith(s.putIfAbsent('ns', bad, v), 'INVALID_KEY', shown)
          await rejectsWith(s.compareAndSwap('ns', bad, v, v), 'INVALID_KEY', shown)
          await rejectsWith(s.delete('ns', bad), 'INVALID_KEY', shown)
          await rejectsWith(s.get(bad, 'k'), 'INVALID_KEY', shown)
          await rejectsWith(s.put(bad, 'k', v), 'INVALID_KEY', shown)
          await rejectsWith(s.putIfAbsent(bad, 'k', v), 'INVALID_KEY', shown)
          await rejectsWith(s.compareAndSwap(bad, 'k', v, undefined), 'INVALID_KEY', shown)
          await rejectsWith(s.delete(bad, 'k'), 'INVALID_KEY', shown)
          await rejectsWith(s.list(bad), 'INVALID_KEY', shown)
        }
        for (const bad of ['sp ace', 'a\\b', 'x'.repeat(257)]) await rejectsWith(s.list('ns', bad), 'INVALID_KEY')
        assert.deepEqual(await s.list('ns', 'a/'), [])
      }))

    test('non-Uint8Array values are rejected', () =>
      withStorage(async (s) => {
        const notBytes = 'text' as unknown as Uint8Array
        await rejectsWith(s.put('ns', 'k', notBytes), 'INVALID_VALUE')
        await rejectsWith(s.putIfAbsent('ns', 'k', notBytes), 'INVALID_VALUE')
        await rejectsWith(s.compareAndSwap('ns', 'k', notBytes, undefined), 'INVALID_VALUE')
        assert.deepEqual(await s.list('ns'), [])
      }))

    test('after close every operation rejects with CLOSED; close is idempotent', async () => {
      const s = await makeStorage()
      await s.put('ns', 'k', text('v'))
      await s.close()
      await s.close()
      const v = text('v')
      await rejectsWith(s.get('ns', 'k'), 'CLOSED')
      await rejectsWith(s.put('ns', 'k', v), 'CLOSED')
      await rejectsWith(s.putIfAbsent('ns', 'k', v), 'CLOSED')
      await rejectsWith(s.compareAndSwap('ns', 'k', v, undefined), 'CLOSED')
      await rejectsWith(s.delete('ns', 'k'), 'CLOSED')
      await rejectsWith(s.list('ns'), 'CLOSED')
    })
  })
}
