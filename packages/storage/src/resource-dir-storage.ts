import { constants } from 'node:fs'
import { mkdir, open, readdir, readlink, realpath, stat, unlink } from 'node:fs/promises'
import { join, sep } from 'node:path'
import { isResourcePath } from '@carapace/protocol'
import { createFile, replaceFile } from './atomic-file.ts'
import { bytesEqual } from './bytes-equal.ts'
import { StorageError } from './errors.ts'
import { fsErrorCode } from './fs-error-code.ts'
import { KeyMutex } from './key-mutex.ts'
import { checkKey, checkNamespace, checkPrefix, checkValue } from './key-syntax.ts'
import type { Storage } from './storage.ts'

export interface ResourceDirStorageOptions {
  /** The repository directory (upstream `dir_path`); created (0700) when missing. */
  readonly dir: string
  /** The one namespace stored here (default `repository`, the KBS resources). */
  readonly namespace?: string
  /** fsync files and directories on write (default true). */
  readonly fsync?: boolean
}

// A name of a repo, type or tag directory entry that can be part of a resource path.
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/
const ABSENT = new Set(['ENOENT', 'ENOTDIR'])

/**
 * The resources of upstream's `LocalFs` resource plugin: one plain file per resource at
 * `<dir>/<repo>/<type>/<tag>`, so an existing Trustee repository directory (or a Kubernetes
 * secret mounted into one, whose files are symlinks into `..data/`) is served as it is.
 *
 * Only keys that are resource paths are accepted (`INVALID_KEY` otherwise). Symlinks are
 * followed only while they stay inside `dir`: one that leads out is an `IO_ERROR` naming it, for
 * reads, writes and deletes alike. Writes are atomic (temp file + rename, 0600, fsynced);
 * `putIfAbsent` is atomic between processes (link(2)); `compareAndSwap` only within this process,
 * like upstream's backend, which assumes writes are rare and done by one operator.
 */
export async function createResourceDirStorage(options: ResourceDirStorageOptions): Promise<Storage> {
  const namespace = options.namespace ?? 'repository'
  const fsync = options.fsync ?? true
  const mutex = new KeyMutex()
  let closed = false
  let root: string
  try {
    await mkdir(options.dir, { recursive: true, mode: 0o700 })
    root = await realpath(options.dir)
  } catch (cause) {
    throw new StorageError('IO_ERROR', `cannot open the resource directory ${options.dir}`, { cause })
  }

  const isInside = (path: string): boolean => path === root || path.startsWith(root + sep)
  const outside = (key: string, path: string): StorageError =>
    new StorageError('IO_ERROR', `resource ${key}: ${path} leads outside the resource directory ${root}`)

  function checked(ns: string, key?: string): void {
    if (closed) throw new StorageError('CLOSED', 'resource directory storage is closed')
    checkNamespace(ns)
    if (ns !== namespace) {
      throw new StorageError('INVALID_KEY', `namespace ${JSON.stringify(ns)} is not kept in a resource directory`)
    }
    if (key === undefined) return
    checkKey(ns, key)
    if (!isResourcePath(key)) {
      throw new StorageError(
        'INVALID_KEY',
        `invalid key ${JSON.stringify(key)}: not a resource path <repo>/<type>/<tag>`,
      )
    }
  }

  async function run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (error) {
      if (error instanceof StorageError) throw error
      throw new StorageError('IO_ERROR', `resource directory ${root}: ${what} failed`, { cause: error })
    }
  }

  /** The real path of `<root>/<repo>/<type>`, created when asked; undefined when absent. */
  async function typeDir(key: string, create: boolean): Promise<string | undefined> {
    const [repo = '', type = ''] = key.split('/')
    let dir = root
    for (const name of [repo, type]) {
      const path = join(dir, name)
      if (create) {
        try {
          await mkdir(path, { mode: 0o700 })
        } catch (error) {
          if (fsErrorCode(error) !== 'EEXIST') throw error
        }
      }
      try {
        dir = await realpath(path)
      } catch (error) {
        if (!create && ABSENT.has(fsErrorCode(error) ?? '')) return undefined
        throw error
      }
      if (!isInside(dir)) throw outside(key, path)
    }
    return dir
  }

  async function read(key: string): Promise<Uint8Array | undefined> {
    const path = join(root, key)
    let real: string
    try {
      real = await realpath(path)
    } catch (error) {
      if (ABSENT.has(fsErrorCode(error) ?? '')) return undefined
      throw error
    }
    if (!isInside(real)) throw outside(key, path)
    let handle
    try {
      handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW)
    } catch (error) {
      if (ABSENT.has(fsErrorCode(error) ?? '')) return undefined
      throw error
    }
    try {
      if (!(await handle.stat()).isFile()) return undefined
      // Where the kernel says the open file is: catches a directory swapped for a symlink meanwhile.
      const opened = await readlink(`/proc/self/fd/${String(handle.fd)}`).catch(() => real)
      if (!isInside(opened)) throw outside(key, path)
      return new Uint8Array(await handle.readFile())
    } finally {
      await handle.close()
    }
  }

  const tagOf = (key: string): string => key.slice(key.lastIndexOf('/') + 1)

  async function remove(key: string): Promise<boolean> {
    const dir = await typeDir(key, false)
    if (dir === undefined) return false
    try {
      await unlink(join(dir, tagOf(key)))
      return true
    } catch (error) {
      const code = fsErrorCode(error) ?? ''
      if (ABSENT.has(code) || code === 'EISDIR' || code === 'EPERM') return false
      throw error
    }
  }

  async function entries(dir: string): Promise<string[]> {
    try {
      return (await readdir(dir)).filter((name) => SEGMENT.test(name))
    } catch (error) {
      if (ABSENT.has(fsErrorCode(error) ?? '')) return []
      throw error
    }
  }

  /** Real path of `path` when it is inside root and of the wanted kind, else undefined. */
  async function inside(path: string, kind: 'dir' | 'file'): Promise<string | undefined> {
    try {
      const real = await realpath(path)
      if (!isInside(real)) return undefined
      const info = await stat(real)
      return (kind === 'dir' ? info.isDirectory() : info.isFile()) ? real : undefined
    } catch (error) {
      if (ABSENT.has(fsErrorCode(error) ?? '')) return undefined
      throw error
    }
  }

  async function listAll(): Promise<string[]> {
    const keys: string[] = []
    for (const repo of await entries(root)) {
      const repoDir = await inside(join(root, repo), 'dir')
      if (repoDir === undefined) continue
      for (const type of await entries(repoDir)) {
        const typeDirPath = await inside(join(repoDir, type), 'dir')
        if (typeDirPath === undefined) continue
        for (const tag of await entries(typeDirPath)) {
          if ((await inside(join(typeDirPath, tag), 'file')) !== undefined) keys.push(`${repo}/${type}/${tag}`)
        }
      }
    }
    return keys
  }

  return {
    async get(ns, key) {
      checked(ns, key)
      return run(`reading ${key}`, () => read(key))
    },
    async put(ns, key, value) {
      checked(ns, key)
      checkValue(ns, key, value)
      const bytes = new Uint8Array(value)
      await mutex.run(key, () =>
        run(`writing ${key}`, async () => {
          const dir = await typeDir(key, true)
          if (dir !== undefined) await replaceFile(dir, tagOf(key), bytes, fsync)
        }),
      )
    },
    async putIfAbsent(ns, key, value) {
      checked(ns, key)
      checkValue(ns, key, value)
      const bytes = new Uint8Array(value)
      return mutex.run(key, () =>
        run(`creating ${key}`, async () => {
          const dir = await typeDir(key, true)
          return dir !== undefined && (await createFile(dir, tagOf(key), bytes, fsync))
        }),
      )
    },
    async compareAndSwap(ns, key, expected, next) {
      checked(ns, key)
      checkValue(ns, key, expected)
      if (next !== undefined) checkValue(ns, key, next)
      const bytes = next === undefined ? undefined : new Uint8Array(next)
      return mutex.run(key, () =>
        run(`replacing ${key}`, async () => {
          const current = await read(key)
          if (current === undefined || !bytesEqual(current, expected)) return false
          if (bytes === undefined) return remove(key)
          const dir = await typeDir(key, true)
          if (dir !== undefined) await replaceFile(dir, tagOf(key), bytes, fsync)
          return true
        }),
      )
    },
    async delete(ns, key) {
      checked(ns, key)
      return mutex.run(key, () => run(`deleting ${key}`, () => remove(key)))
    },
    async list(ns, prefix = '') {
      checked(ns)
      checkPrefix(ns, prefix)
      const keys = await run('listing', listAll)
      return keys.filter((key) => key.startsWith(prefix)).sort()
    },
    close() {
      closed = true
      return Promise.resolve()
    },
  }
}
