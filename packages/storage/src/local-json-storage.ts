import { createHash } from 'node:crypto'
import { mkdir, readFile, realpath } from 'node:fs/promises'
import { join } from 'node:path'
import { replaceFile } from './atomic-file.ts'
import { bytesEqual } from './bytes-equal.ts'
import { StorageError } from './errors.ts'
import { fsErrorCode } from './fs-error-code.ts'
import { KeyMutex } from './key-mutex.ts'
import { checkKey, checkNamespace, checkPrefix, checkValue } from './key-syntax.ts'
import {
  encodeValue,
  entryValue,
  isExpired,
  parseLocalJson,
  serializeLocalJson,
  type LocalJsonEntry,
} from './local-json-file.ts'
import type { Storage } from './storage.ts'

export interface LocalJsonStorageOptions {
  /** Upstream `[storage_backend.backends.local_json] file_dir_path`; created (0700) when missing. */
  readonly dir: string
  /** fsync each rewritten file and its directory (default true). */
  readonly fsync?: boolean
  /** Clock for the expiry of entries upstream wrote with a TTL (default Date.now). */
  readonly nowMs?: () => number
}

// Upstream names a namespace's file after the namespace itself; ours may hold "/" or be longer
// than a file name may be, and then get a digest name ("~" is outside the namespace alphabet).
const PLAIN_FILE_NAME = /^[A-Za-z0-9._-]{1,200}$/

function fileNameOf(namespace: string): string {
  if (PLAIN_FILE_NAME.test(namespace)) return namespace
  return `~${createHash('sha256').update(namespace).digest('hex')}`
}

/**
 * Upstream's `LocalJson` storage: each namespace is one JSON file `<dir>/<namespace>` of
 * `{"<key>": "<URL-safe base64 of the value>"}`, so a Trustee `local_json` directory is read and
 * written as it is. Every write rewrites the whole file atomically (temp file + rename, 0600).
 *
 * Writers of one namespace queue behind a lock of this process; like upstream, nothing
 * coordinates two processes writing the same directory, so it suits one replica (use `fs` for
 * several). Entries upstream wrote with a TTL are hidden once expired and dropped on the next write.
 */
export async function createLocalJsonStorage(options: LocalJsonStorageOptions): Promise<Storage> {
  const fsync = options.fsync ?? true
  const nowMs = options.nowMs ?? Date.now
  const writers = new KeyMutex()
  const pending = new Set<Promise<unknown>>()
  let closed = false
  let dir: string
  try {
    await mkdir(options.dir, { recursive: true, mode: 0o700 })
    dir = await realpath(options.dir)
  } catch (cause) {
    throw new StorageError('IO_ERROR', `cannot open the LocalJson directory ${options.dir}`, { cause })
  }

  async function load(namespace: string): Promise<Map<string, LocalJsonEntry>> {
    const file = join(dir, fileNameOf(namespace))
    let bytes: Uint8Array
    try {
      bytes = await readFile(file)
    } catch (error) {
      if (fsErrorCode(error) === 'ENOENT') return new Map()
      throw new StorageError('IO_ERROR', `cannot read LocalJson file ${file}`, { cause: error })
    }
    return parseLocalJson(file, bytes)
  }

  async function save(namespace: string, entries: Map<string, LocalJsonEntry>): Promise<void> {
    const now = nowMs()
    for (const [key, entry] of entries) if (isExpired(entry, now)) entries.delete(key)
    const name = fileNameOf(namespace)
    try {
      await replaceFile(dir, name, Buffer.from(serializeLocalJson(entries), 'utf8'), fsync)
    } catch (cause) {
      throw new StorageError('IO_ERROR', `cannot write LocalJson file ${join(dir, name)}`, { cause })
    }
  }

  function valueOf(namespace: string, entries: Map<string, LocalJsonEntry>, key: string): Uint8Array | undefined {
    const entry = entries.get(key)
    return entry === undefined ? undefined : entryValue(join(dir, fileNameOf(namespace)), key, entry, nowMs())
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    pending.add(promise)
    void promise.then(
      () => pending.delete(promise),
      () => pending.delete(promise),
    )
    return promise
  }

  function checked(namespace: string, key?: string): void {
    if (closed) throw new StorageError('CLOSED', 'LocalJson storage is closed')
    checkNamespace(namespace)
    if (key !== undefined) checkKey(namespace, key)
  }

  /** Read-modify-write of one namespace file under this process's lock for it; written when `change` says so. */
  function update(namespace: string, change: (entries: Map<string, LocalJsonEntry>) => boolean): Promise<boolean> {
    return track(
      writers.run(namespace, async () => {
        const entries = await load(namespace)
        const changed = change(entries)
        if (changed) await save(namespace, entries)
        return changed
      }),
    )
  }

  return {
    async get(namespace, key) {
      checked(namespace, key)
      return valueOf(namespace, await track(load(namespace)), key)
    },
    async put(namespace, key, value) {
      checked(namespace, key)
      checkValue(namespace, key, value)
      const encoded = encodeValue(value)
      await update(namespace, (entries) => {
        entries.set(key, encoded)
        return true
      })
    },
    async putIfAbsent(namespace, key, value) {
      checked(namespace, key)
      checkValue(namespace, key, value)
      const encoded = encodeValue(value)
      return update(namespace, (entries) => {
        if (valueOf(namespace, entries, key) !== undefined) return false
        entries.set(key, encoded)
        return true
      })
    },
    async compareAndSwap(namespace, key, expected, next) {
      checked(namespace, key)
      checkValue(namespace, key, expected)
      if (next !== undefined) checkValue(namespace, key, next)
      const encoded = next === undefined ? undefined : encodeValue(next)
      return update(namespace, (entries) => {
        const current = valueOf(namespace, entries, key)
        if (current === undefined || !bytesEqual(current, expected)) return false
        if (encoded === undefined) entries.delete(key)
        else entries.set(key, encoded)
        return true
      })
    },
    async delete(namespace, key) {
      checked(namespace, key)
      return update(namespace, (entries) => {
        if (valueOf(namespace, entries, key) === undefined) return false
        entries.delete(key)
        return true
      })
    },
    async list(namespace, prefix = '') {
      checked(namespace)
      checkPrefix(namespace, prefix)
      const entries = await track(load(namespace))
      const now = nowMs()
      return [...entries]
        .filter(([key, entry]) => key.startsWith(prefix) && !isExpired(entry, now))
        .map(([key]) => key)
        .sort()
    },
    async close() {
      closed = true
      await Promise.allSettled([...pending])
    },
  }
}
