import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createMemoryStorage } from '@carapace/storage'
import { SESSION_NAMESPACE, encodeSession } from '../session/session-record.ts'
import { sweepExpiredSessions } from './session-sweeper.ts'

test('removes expired sessions only, and leaves unreadable records alone', async () => {
  const storage = createMemoryStorage()
  const now = new Date('2026-12-01T12:00:00Z')
  const session = (id: string, minutes: number) =>
    encodeSession({ state: 'Attested', id, token: 't', timeout: new Date(now.getTime() + minutes * 60_000) })
  await storage.put(SESSION_NAMESPACE, 'a'.repeat(32), session('a'.repeat(32), -1))
  await storage.put(SESSION_NAMESPACE, 'b'.repeat(32), session('b'.repeat(32), 5))
  await storage.put(SESSION_NAMESPACE, 'c'.repeat(32), new TextEncoder().encode('not json'))
  assert.equal(await sweepExpiredSessions(storage, now), 1)
  assert.deepEqual(await storage.list(SESSION_NAMESPACE), ['b'.repeat(32), 'c'.repeat(32)])
  assert.equal(await sweepExpiredSessions(storage, new Date(now.getTime() + 10 * 60_000)), 1)
  assert.deepEqual(await storage.list(SESSION_NAMESPACE), ['c'.repeat(32)])
})
