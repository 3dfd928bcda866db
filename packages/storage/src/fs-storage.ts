import { link, mkdir, readdir, rename, stat, unlink } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { bytesEqual } from './bytes-equal.ts'
import { StorageError } from './errors.ts'
import { ensureDir, readIfExists, removeQuietly, syncDir, writeTemp } from './fs-files.ts'
import { fsErrorCode } from './fs-error-code.ts'
import {
  DIR_SUFFIX,
  INTERNAL_PREFIX,
  LOCK_PREFIX,
  decodeName,
  isCanonicalLocation,
  keyLocation,
  namespaceDir,
} from './fs-layout.ts'
import { acquireFileLock } from './fs-lock.ts'
import { sweepLeftovers } from './fs-sweep.ts'
import { checkKey, checkNamespace, checkPrefix, checkValue } from './key-syntax.ts'
import { KeyMutex } from './key-mutex.ts'
import type { Storage } from './storage.ts'

export interface FsStorageOptions {
  /** Root directory (created with mode 0700 when missing). Layout: see fs-layout.ts. */
  readonly dir: string
  /** fsync files and directories so that a completed write survives power loss (default true). */
  readonly fsync?: boolean
  /**
   * Namespaces written without fsync even when `fsync` is on: still atomic and visible to every
   * process at once, and kept across a process crash, but a power loss or kernel crash may lose
   * their latest writes (or, on some file systems, leave such a value empty, which its reader
   * must treat as corrupt). Meant for state that is worthless after a host restart anyway, such as
   * the KBS's RCAR sessions (`kbs_protocol_session`, minutes long), whose two fsynced writes
   * per handshake otherwise cost more than the handshake's cryptography. Default: none.
   */
  readonly unsyncedNamespaces?: readonly string[]
  /** Age after which a key's lock file is deemed left by a crashed process (default 30 s). */
  readonly lockStaleMs?: number
  /** How long a writer waits for a key's lock before failing with CONFLICT (default 60 s). */
  readonly lockTimeoutMs?: number
  /** Age after which a temp file is deemed left by a crashed write and swept (default 60 s). */
  readonly tempMaxAgeMs?: number
}

/**
 * A Storage in a directory, shareable by several processes on one host (a local file system:
 * link(), rename() and O_EXCL must be atomic, which NFS does not promise).
 *
 * - Values are raw bytes in `<dir>/<namespace>/<encoded key>` (files 0600, directories 0700).
 * - put: the value goes to a temp file in the same directory (fsynced), then rename() replaces
 *   the key's file atomically, then the directory is fsynced. Readers see the old or new bytes.
 *   (No fsync with `fsync: false`, nor for the `unsyncedNamespaces`; atomicity is the same.)
 * - putIfAbsent: temp file, then link() to the key's name. link() fails with EEXIST when the name
 *   exists, atomically, so exactly one of any number of racing writers (any process) wins; a
 *   half-written value is never visible because the temp file is complete before the link.
 * - put, delete and compareAndSwap hold the key's lock file (fs-lock.ts) around their
 *   read/rename/unlink, which makes compareAndSwap atomic against every other writer. The lock is
 *   a lease: it is honoured while a holder keeps it under `lockStaleMs` (milliseconds in practice).
 * - At start, temp and lock files older than their maximum age are removed; they are never listed.
 */
const KNOWN_DIRS_MAX = 4096

export async function createFsStorage(options: FsStorageOptions): Promise<Storage> {
  const root = resolve(options.dir)
  const durable = options.fsync ?? true
  const unsynced = new Set(options.unsyncedNamespaces ?? [])
  for (const namespace of unsynced) checkNamespace(namespace)
  const durableFor = (namespace: string): boolean => durable && !unsynced.has(namespace)
  const lockStaleMs = options.lockStaleMs ?? 30_000
  const lockOptions = { staleMs: lockStaleMs, timeoutMs: options.lockTimeoutMs ?? 60_000 }
  const tempMaxAgeMs = options.tempMaxAgeMs ?? 60_000
  try {
    await mkdir(root, { recursive: true, mode: 0o700 })
    await sweepLeftovers(root, { tempMaxAgeMs, lockStaleMs })
  } catch (error) {
    throw new StorageError('IO_ERROR', `fs storage: cannot open ${root}: ${String(error)}`, { cause: error })
  }

  const mutex = new KeyMutex()
  // Directories this instance has created or found: a write into one skips its mkdir. Nothing
  // here removes directories; if someone else does, the write that finds one missing creates it
  // again (inDir).
  const knownDirs = new Set<string>()
  const pending = new Set<Promise<unknown>>()
  let closed = false

  function locate(namespace: string, key: string): { dir: string; path: string; lockPath: string } {
    const { dirs, file } = keyLocation(key)
    const dir = join(namespaceDir(root, namespace), ...dirs)
    return { dir, path: join(dir, file), lockPath: join(dir, LOCK_PREFIX + file) }
  }

  /** Runs one operation: CLOSED check, tracking for close(), and IO_ERROR wrapping. */
  function operation<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new StorageError('CLOSED', `fs storage ${root} is closed`))
    const run = (async () => {
      try {
        return await fn()
      } catch (error) {
        if (error instanceof StorageError) throw error
        throw new StorageError('IO_ERROR', `fs storage: ${what} failed: ${String(error)}`, { cause: error })
      }
    })()
    pending.add(run)
    void run.finally(() => pending.delete(run)).catch(() => undefined)
    return run
  }

  /** Runs `fn`, which creates a file in `dir`, after making sure `dir` exists. */
  async function inDir<T>(dir: string, durableDir: boolean, fn: () => Promise<T>): Promise<T> {
    if (!knownDirs.has(dir)) {
      await ensureDir(dir, durableDir)
      if (knownDirs.size >= KNOWN_DIRS_MAX) knownDirs.clear()
      knownDirs.add(dir)
      return fn()
    }
    try {
      return await fn()
    } catch (error) {
      if (fsErrorCode(error) !== 'ENOENT') throw error
      knownDirs.delete(dir)
      return inDir(dir, durableDir, fn)
    }
  }

  async function locked<T>(dir: string, lockPath: string, durableDir: boolean, fn: () => Promise<T>): Promise<T> {
    return mutex.run(lockPath, async () => {
      const release = await inDir(dir, durableDir, () => acquireFileLock(lockPath, lockOptions))
      try {
        return await fn()
      } finally {
        await release()
      }
    })
  }

  function describe(namespace: string, key: string): string {
    return `${namespace}/${JSON.stringify(key)}`
  }

  return {
    get(namespace, key) {
      return operation(`get ${describe(namespace, key)}`, async () => {
        checkNamespace(namespace)
        checkKey(namespace, key)
        return readIfExists(locate(namespace, key).path)
      })
    },

    put(namespace, key, value) {
      return operation(`put ${describe(namespace, key)}`, async () => {
        checkNamespace(namespace)
        checkKey(namespace, key)
        checkValue(namespace, key, value)
        const { dir, path, lockPath } = locate(namespace, key)
        const sync = durableFor(namespace)
        const temp = await inDir(dir, sync, () => writeTemp(dir, value, sync))
        try {
          await locked(dir, lockPath, sync, async () => {
            await rename(temp, path)
            await syncDir(dir, sync)
          })
        } catch (error) {
          await removeQuietly(temp)
          throw error
        }
      })
    },

    putIfAbsent(namespace, key, value) {
      return operation(`putIfAbsent ${describe(namespace, key)}`, async () => {
        checkNamespace(namespace)
        checkKey(namespace, key)
        checkValue(namespace, key, value)
        const { dir, path } = locate(namespace, key)
        const sync = durableFor(namespace)
        const temp = await inDir(dir, sync, () => writeTemp(dir, value, sync))
        try {
          await link(temp, path)
        } catch (error) {
          if (fsErrorCode(error) === 'EEXIST') return false
          throw error
        } finally {
          await removeQuietly(temp)
        }
        await syncDir(dir, sync)
        return true
      })
    },

    compareAndSwap(namespace, key, expected, next) {
      return operation(`compareAndSwap ${describe(namespace, key)}`, async () => {
        checkNamespace(namespace)
        checkKey(namespace, key)
        checkValue(namespace, key, expected)
        if (next !== undefined) checkValue(namespace, key, next)
        const { dir, path, lockPath } = locate(namespace, key)
        const sync = durableFor(namespace)
        const temp = next === undefined ? undefined : await inDir(dir, sync, () => writeTemp(dir, next, sync))
        let swapped = false
        try {
          swapped = await locked(dir, lockPath, sync, async () => {
            const current = await readIfExists(path)
            if (current === undefined || !bytesEqual(current, expected)) return false
            if (temp === undefined) await unlink(path)
            else await rename(temp, path)
            await syncDir(dir, sync)
            return true
          })
        } finally {
          if (temp !== undefined && !swapped) await removeQuietly(temp)
        }
        return swapped
      })
    },

    delete(namespace, key) {
      return operation(`delete ${describe(namespace, key)}`, async () => {
        checkNamespace(namespace)
        checkKey(namespace, key)
        const { dir, path, lockPath } = locate(namespace, key)
        const sync = durableFor(namespace)
        return locked(dir, lockPath, sync, async () => {
          try {
            await unlink(path)
          } catch (error) {
            if (fsErrorCode(error) === 'ENOENT') return false
            throw error
          }
          await syncDir(dir, sync)
          return true
        })
      })
    },

    list(namespace, prefix = '') {
      return operation(`list ${namespace}`, async () => {
        checkNamespace(namespace)
        checkPrefix(namespace, prefix)
        const keys: string[] = []
        async function visit(dir: string, dirs: string[]): Promise<void> {
          let entries
          try {
            entries = await readdir(dir, { withFileTypes: true })
          } catch (error) {
            if (fsErrorCode(error) === 'ENOENT' && dirs.length === 0) return
            throw error
          }
          for (const entry of entries) {
            const name = entry.name
            if (name.startsWith(INTERNAL_PREFIX) || entry.isSymbolicLink()) continue
            // Some file systems report no type in readdir (DT_UNKNOWN): ask stat then.
            const known = entry.isDirectory() || entry.isFile()
            const isDirectory = known ? entry.isDirectory() : (await stat(join(dir, name))).isDirectory()
            if (isDirectory && name.endsWith(DIR_SUFFIX)) {
              await visit(join(dir, name), [...dirs, name])
            } else if (!isDirectory && !name.endsWith(DIR_SUFFIX)) {
              const key = decodeName(dirs.map((d) => d.slice(0, -DIR_SUFFIX.length)).join('') + name)
              if (key.startsWith(prefix) && isKey(namespace, key) && isCanonicalLocation(key, dirs, name)) {
                keys.push(key)
              }
            }
          }
        }
        await visit(namespaceDir(root, namespace), [])
        return keys.sort()
      })
    },

    async close() {
      closed = true
      await Promise.allSettled([...pending])
    },
  }
}

function isKey(namespace: string, key: string): boolean {
  try {
    checkKey(namespace, key)
    return true
  } catch {
    return false
  }
}
