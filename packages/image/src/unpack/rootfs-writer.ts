import { constants, type Stats } from 'node:fs'
import { lchown, link, lstat, lutimes, mkdir, open, readdir, rm, symlink, unlink } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { BackgroundQueue } from './background-queue.ts'
import { normalizeEntryPath } from './entry-path.ts'
import { makeNode } from './make-node.ts'
import type { TarEntry, TarReader } from './tar-reader.ts'
import { UnpackError } from './unpack-error.ts'

/** What to do with character/block devices and fifos: create them (root), skip with a warning, or fail. */
export type DevicePolicy = 'create' | 'skip' | 'reject'

export interface UnpackWarning {
  code: 'DEVICE_SKIPPED' | 'XATTRS_IGNORED'
  layer: number
  entry: string
  message: string
}

export interface RootfsWriterOptions {
  devices: DevicePolicy
  /** Apply the entries' uid/gid (needs root). */
  chown: boolean
  onWarning: (w: UnpackWarning) => void
}

interface DirMeta {
  mode: number
  uid: number
  gid: number
  /** Undefined for the root when the archive has no `.` entry: left as created. */
  mtime: number | undefined
}

const WRITE_BATCH = 1024 * 1024
const BACKGROUND_TASKS = 16
const errno = (e: unknown): string | undefined => (e as NodeJS.ErrnoException).code
const OPAQUE = '.wh..wh..opq'

async function lstatOrNull(p: string): Promise<Stats | null> {
  try {
    return await lstat(p)
  } catch (e) {
    if (errno(e) === 'ENOENT') return null
    throw e
  }
}

async function writeAll(fh: FileHandle, parts: Buffer[]): Promise<void> {
  const total = parts.reduce((n, b) => n + b.length, 0)
  const { bytesWritten } = await fh.writev(parts)
  if (bytesWritten < total) {
    let rest = Buffer.concat(parts).subarray(bytesWritten)
    while (rest.length > 0) rest = rest.subarray((await fh.write(rest)).bytesWritten)
  }
}

/**
 * Applies tar entries to a root directory with OCI layer semantics (whiteouts, opaque dirs,
 * replace-on-conflict). No symlink in the root is ever followed: every parent is checked with
 * lstat (and cached while unchanged), files are opened O_EXCL|O_NOFOLLOW, directory metadata is
 * applied at the end through O_NOFOLLOW|O_DIRECTORY handles.
 */
export class RootfsWriter {
  readonly #root: string
  readonly #opts: RootfsWriterOptions
  #layer = 0
  /** Paths created by the current layer: whiteouts and opaque markers only hide lower layers. */
  #inLayer = new Set<string>()
  /** Parents known to be real directories; cleared whenever a directory is removed. */
  readonly #knownDirs = new Set<string>()
  /** Directory metadata applied by `finish` (children would change mtimes; modes could block writes). */
  readonly #dirMeta = new Map<string, DirMeta>()
  #xattrWarned = false
  readonly #background = new BackgroundQueue(BACKGROUND_TASKS)
  readonly #uid = process.getuid?.() ?? -1
  readonly #gid = process.getgid?.() ?? -1

  constructor(root: string, opts: RootfsWriterOptions) {
    this.#root = root
    this.#opts = opts
  }

  /** Waits for metadata still being applied in the background; rethrows its first failure. */
  async settle(): Promise<void> {
    await this.#background.settle()
  }

  /**
   * Runs `create`; when the path exists, removes what is there (unless `keepDir` and it is a
   * directory: then false) and runs it once more. Saves an lstat per entry on fresh paths.
   */
  async #place(key: string, keepDir: boolean, create: () => Promise<void>): Promise<boolean> {
    try {
      await create()
      return true
    } catch (e) {
      if (errno(e) !== 'EEXIST') throw e
    }
    const st = await lstat(join(this.#root, key))
    if (keepDir && st.isDirectory()) return false
    await this.#remove(key, st)
    await create()
    return true
  }

  startLayer(index: number): void {
    this.#layer = index
    this.#inLayer = new Set()
    this.#xattrWarned = false
  }

  #abs(comps: readonly string[]): string {
    return comps.length === 0 ? this.#root : join(this.#root, ...comps)
  }

  /** Checks (or creates) every parent of `comps`; false when one is missing and `create` is off. */
  async #parents(comps: readonly string[], entry: string, create: boolean): Promise<boolean> {
    for (let i = 1; i < comps.length; i++) {
      const key = comps.slice(0, i).join('/')
      if (this.#knownDirs.has(key)) continue
      const p = this.#abs(comps.slice(0, i))
      const st = await lstatOrNull(p)
      if (st === null) {
        if (!create) return false
        await mkdir(p, 0o755)
        this.#inLayer.add(key)
      } else if (st.isSymbolicLink()) {
        throw new UnpackError('PATH_THROUGH_SYMLINK', `parent ${key} is a symlink`, { entry, layer: this.#layer })
      } else if (!st.isDirectory()) {
        throw new UnpackError('PATH_CONFLICT', `parent ${key} is not a directory`, { entry, layer: this.#layer })
      }
      this.#knownDirs.add(key)
    }
    return true
  }

  async #remove(key: string, st: Stats): Promise<void> {
    const p = join(this.#root, key)
    if (!st.isDirectory()) {
      await unlink(p)
      return
    }
    await rm(p, { recursive: true, force: true })
    this.#knownDirs.clear()
    for (const k of this.#dirMeta.keys()) if (k === key || k.startsWith(`${key}/`)) this.#dirMeta.delete(k)
  }

  async apply(entry: TarEntry, tar: TarReader): Promise<void> {
    try {
      await this.#apply(entry, tar)
    } catch (e) {
      if (e instanceof UnpackError) throw e
      const msg = `cannot write ${entry.path}: ${(e as Error).message}`
      throw new UnpackError('IO_FAILED', msg, { cause: e, entry: entry.path, layer: this.#layer })
    }
  }

  async #apply(entry: TarEntry, tar: TarReader): Promise<void> {
    this.#background.check()
    const comps = normalizeEntryPath(entry.path, entry.path)
    const base = comps.at(-1)
    if (base?.startsWith('.wh.') === true) return this.#whiteout(comps, base, entry)
    const meta = { mode: entry.mode, uid: entry.uid, gid: entry.gid, mtime: entry.mtime }
    if (comps.length === 0) {
      if (entry.type !== 'dir')
        throw new UnpackError('PATH_INVALID', 'the root entry is not a directory', { entry: entry.path })
      this.#dirMeta.set('', meta)
      return
    }
    await this.#parents(comps, entry.path, true)
    const key = comps.join('/')
    const p = this.#abs(comps)
    const linkTarget = entry.type === 'hardlink' ? await this.#hardlinkTarget(entry, key) : undefined
    if ((entry.type === 'char' || entry.type === 'block' || entry.type === 'fifo') && this.#opts.devices !== 'create') {
      if (this.#opts.devices === 'reject') {
        throw new UnpackError('DEVICE_NOT_ALLOWED', `${entry.type} device entries are refused`, { entry: entry.path })
      }
      const message = `skipped ${entry.type} entry (devices are not created)`
      this.#opts.onWarning({ code: 'DEVICE_SKIPPED', layer: this.#layer, entry: entry.path, message })
      return
    }
    if (entry.xattrs.size > 0 && !this.#xattrWarned) {
      this.#xattrWarned = true
      const message = 'extended attributes (SCHILY.xattr.*) are not applied; first entry named'
      this.#opts.onWarning({ code: 'XATTRS_IGNORED', layer: this.#layer, entry: entry.path, message })
    }
    switch (entry.type) {
      case 'dir':
        await this.#place(key, true, () => mkdir(p, 0o700))
        this.#knownDirs.add(key)
        this.#dirMeta.set(key, meta)
        break
      case 'file':
        await this.#writeFile(key, p, entry, tar)
        break
      case 'symlink':
        if (entry.linkname === '')
          throw new UnpackError('LINK_TARGET_INVALID', 'symlink without a target', { entry: entry.path })
        await this.#place(key, false, () => symlink(entry.linkname, p))
        // Path-based and awaited: a later entry could replace a parent, so nothing here may run late.
        if (this.#chownNeeded(entry)) await lchown(p, entry.uid, entry.gid)
        await lutimes(p, entry.mtime, entry.mtime)
        break
      case 'hardlink':
        await this.#place(key, false, () => link(linkTarget ?? '', p))
        break
      default:
        await this.#place(key, false, () => makeNode(p, entry))
        if (this.#chownNeeded(entry)) await lchown(p, entry.uid, entry.gid)
        await lutimes(p, entry.mtime, entry.mtime)
    }
    this.#inLayer.add(key)
  }

  #chownNeeded(entry: { uid: number; gid: number }): boolean {
    return this.#opts.chown && (entry.uid !== this.#uid || entry.gid !== this.#gid)
  }

  async #writeFile(key: string, p: string, entry: TarEntry, tar: TarReader): Promise<void> {
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW
    let opened: FileHandle | undefined
    await this.#place(key, false, async () => {
      opened = await open(p, flags, 0o600)
    })
    const fh = opened as FileHandle
    try {
      let batch: Buffer[] = []
      let n = 0
      for await (const part of tar.data()) {
        batch.push(part)
        n += part.length
        if (n >= WRITE_BATCH) {
          await writeAll(fh, batch)
          batch = []
          n = 0
        }
      }
      if (n > 0) await writeAll(fh, batch)
    } catch (e) {
      await fh.close()
      throw e
    }
    // fd-based, so safe to finish while later entries are applied.
    await this.#background.add(fh, async () => {
      try {
        // chown before chmod: chown clears setuid/setgid bits.
        if (this.#chownNeeded(entry)) await fh.chown(entry.uid, entry.gid)
        await fh.chmod(entry.mode)
        await fh.utimes(entry.mtime, entry.mtime)
      } catch (e) {
        throw new UnpackError('IO_FAILED', `cannot set metadata of ${entry.path}`, { cause: e, entry: entry.path })
      } finally {
        await fh.close()
      }
    })
  }

  async #hardlinkTarget(entry: TarEntry, key: string): Promise<string> {
    const bad = (why: string, cause?: unknown): UnpackError =>
      new UnpackError('LINK_TARGET_INVALID', `hard link to ${JSON.stringify(entry.linkname)}: ${why}`, {
        entry: entry.path,
        cause,
      })
    let t: string[]
    try {
      t = normalizeEntryPath(entry.linkname, entry.path, 'link target')
      if (t.length === 0) throw bad('names the root')
      if (t.join('/') === key) throw bad('names the link itself')
      if (!(await this.#parents(t, entry.path, false))) throw bad('target not extracted')
    } catch (e) {
      if (e instanceof UnpackError && e.code === 'LINK_TARGET_INVALID') throw e
      throw bad(e instanceof Error ? e.message : 'invalid', e)
    }
    const target = this.#abs(t)
    const st = await lstatOrNull(target)
    if (st === null) throw bad('target not extracted')
    if (st.isDirectory()) throw bad('target is a directory')
    return target
  }

  async #whiteout(comps: readonly string[], base: string, entry: TarEntry): Promise<void> {
    const parent = comps.slice(0, -1)
    if (base === OPAQUE) {
      await this.#parents(comps, entry.path, true)
      await this.#clearLower(parent)
      return
    }
    // Other `.wh..wh.` names are aufs bookkeeping (hard-link dirs, plinks): never content.
    if (base.startsWith('.wh..wh.')) return
    const name = base.slice('.wh.'.length)
    if (name === '' || name === '.' || name === '..') {
      const code = name === '..' ? 'PATH_ESCAPE' : 'PATH_INVALID'
      throw new UnpackError(code, `whiteout ${JSON.stringify(base)} names no sibling`, { entry: entry.path })
    }
    if (!(await this.#parents(comps, entry.path, false))) return
    const key = [...parent, name].join('/')
    if (this.#inLayer.has(key)) return
    const st = await lstatOrNull(join(this.#root, key))
    if (st !== null) await this.#remove(key, st)
  }

  /** Removes everything under `dir` that the current layer did not create (opaque whiteout). */
  async #clearLower(dir: readonly string[]): Promise<void> {
    for (const name of await readdir(this.#abs(dir))) {
      const comps = [...dir, name]
      const key = comps.join('/')
      const st = await lstat(this.#abs(comps))
      if (!this.#inLayer.has(key)) await this.#remove(key, st)
      else if (st.isDirectory()) await this.#clearLower(comps)
    }
  }

  /** Applies directory modes, owners and mtimes; the root defaults to 0755. */
  async finish(): Promise<void> {
    if (!this.#dirMeta.has('')) this.#dirMeta.set('', { mode: 0o755, uid: -1, gid: -1, mtime: undefined })
    await this.#background.settle()
    const flags = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW
    // Metadata of one directory never changes another's, so the order does not matter.
    for (const [key, m] of this.#dirMeta) {
      await this.#background.add(undefined, async () => {
        let fh: FileHandle
        try {
          fh = await open(key === '' ? this.#root : join(this.#root, key), flags)
        } catch (e) {
          const code = errno(e)
          if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR') return
          throw new UnpackError('IO_FAILED', `cannot open directory ${key}`, { cause: e, entry: key })
        }
        try {
          if (this.#opts.chown && m.uid >= 0) await fh.chown(m.uid, m.gid)
          await fh.chmod(m.mode)
          if (m.mtime !== undefined) await fh.utimes(m.mtime, m.mtime)
        } finally {
          await fh.close()
        }
      })
    }
    await this.#background.settle()
  }
}
