import { randomBytes } from 'node:crypto'
import { mkdir, open, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fsErrorCode } from './fs-error-code.ts'
import { TEMP_PREFIX } from './fs-layout.ts'

/** File-level steps of the fs backend. `durable` turns the fsync calls on. */

export async function syncDir(dir: string, durable: boolean): Promise<void> {
  if (!durable) return
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Creates `dir` and missing parents with mode 0700; makes the new entries durable. */
export async function ensureDir(dir: string, durable: boolean): Promise<void> {
  const created = await mkdir(dir, { recursive: true, mode: 0o700 })
  if (created === undefined || !durable) return
  // Each newly created directory's entry lives in its parent: sync the parents, bottom up.
  for (let p = dir; ; p = dirname(p)) {
    await syncDir(dirname(p), durable)
    if (p === created || dirname(p) === p) break
  }
}

/**
 * Writes `value` to a new temp file (mode 0600, random name, never a key name) in `dir` (which
 * must exist), synced to disk when `durable`, and returns its path. On failure nothing is left
 * behind.
 */
export async function writeTemp(dir: string, value: Uint8Array, durable: boolean): Promise<string> {
  const path = join(dir, `${TEMP_PREFIX}${process.pid}-${randomBytes(8).toString('hex')}`)
  const handle = await open(path, 'wx', 0o600)
  try {
    await handle.writeFile(value)
    if (durable) await handle.sync()
  } catch (error) {
    await handle.close().catch(() => undefined)
    await removeQuietly(path)
    throw error
  }
  await handle.close()
  return path
}

/** Values up to this size are read with one read() call; larger ones with a second pass. */
const FIRST_READ_BYTES = 16 * 1024

/**
 * The file's bytes, or undefined when it (or a directory above it) does not exist. open, read,
 * close: readFile() would add an fstat, and each call is a round trip to the libuv thread pool,
 * which every request of a KBS goes through several times.
 */
export async function readIfExists(path: string): Promise<Uint8Array | undefined> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    const code = fsErrorCode(error)
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    throw error
  }
  try {
    const first = new Uint8Array(FIRST_READ_BYTES)
    const { bytesRead } = await handle.read(first, 0, FIRST_READ_BYTES, null)
    if (bytesRead < FIRST_READ_BYTES) return first.slice(0, bytesRead)
    // readFile continues from the current position, after the bytes already read.
    const rest = await handle.readFile()
    const value = new Uint8Array(bytesRead + rest.byteLength)
    value.set(first)
    value.set(rest, bytesRead)
    return value
  } finally {
    await handle.close()
  }
}

/** Unlinks a file, ignoring every error (for clean-up paths that already report another one). */
export async function removeQuietly(path: string): Promise<void> {
  await unlink(path).catch(() => undefined)
}
