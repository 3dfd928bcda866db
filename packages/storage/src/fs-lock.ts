import { randomBytes } from 'node:crypto'
import { link, open, rename, stat, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { StorageError } from './errors.ts'
import { fsErrorCode as errorCode } from './fs-error-code.ts'
import { LOCK_PREFIX } from './fs-layout.ts'

/*
 * A lock file per key (`~lock-<file name>` next to the key's file) gives mutual exclusion between
 * processes: creating it with O_CREAT|O_EXCL ('wx') succeeds for exactly one of them, and
 * unlinking it releases it. Node has no flock(), and a lock file survives a crash, so a lock whose
 * mtime is older than `staleMs` is taken to belong to a process that died and is broken. The
 * guarantee is therefore a lease: mutual exclusion holds as long as no holder keeps the lock
 * longer than `staleMs` (holders only read, rename or unlink one file and fsync: milliseconds).
 * A holder stalled past `staleMs` may lose the lock to another writer without noticing.
 *
 * Breaking is itself raced by other waiters: the breaker renames the stale lock to a unique name
 * and then checks that what it moved is the very file it judged stale (same inode and mtime). If
 * another breaker had meanwhile removed it and a writer had taken a fresh lock, this breaker moved
 * the fresh lock and puts it back with link(), which cannot overwrite. Between that move and the
 * link a third writer could take the lock too; this needs a crashed holder, two breakers and a
 * writer within the same few microseconds, and is the one known gap.
 */

export interface LockOptions {
  readonly staleMs: number
  readonly timeoutMs: number
}

async function tryCreate(lockPath: string): Promise<boolean> {
  try {
    const handle = await open(lockPath, 'wx', 0o600)
    await handle.close()
    return true
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false
    throw error
  }
}

async function breakIfStale(lockPath: string, staleMs: number): Promise<void> {
  let seen
  try {
    seen = await stat(lockPath)
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return
    throw error
  }
  if (Date.now() - seen.mtimeMs <= staleMs) return
  // A short name: the lock's own name may already be near NAME_MAX.
  const moved = join(dirname(lockPath), `${LOCK_PREFIX}broken-${randomBytes(8).toString('hex')}`)
  try {
    await rename(lockPath, moved)
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return
    throw error
  }
  const took = await stat(moved)
  if (took.ino !== seen.ino || took.mtimeMs !== seen.mtimeMs) {
    try {
      await link(moved, lockPath)
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error
    }
  }
  await unlink(moved)
}

/** Takes the lock at `lockPath`, waiting with jittered backoff; returns the function releasing it. */
export async function acquireFileLock(lockPath: string, options: LockOptions): Promise<() => Promise<void>> {
  const deadline = Date.now() + options.timeoutMs
  let delay = 1
  for (;;) {
    if (await tryCreate(lockPath)) {
      return async () => {
        try {
          await unlink(lockPath)
        } catch (error) {
          if (errorCode(error) !== 'ENOENT') throw error
        }
      }
    }
    await breakIfStale(lockPath, options.staleMs)
    if (Date.now() > deadline) {
      throw new StorageError('CONFLICT', `lock ${lockPath} is still held after ${options.timeoutMs} ms`)
    }
    await sleep(delay + Math.random() * delay)
    delay = Math.min(delay * 2, 50)
  }
}
