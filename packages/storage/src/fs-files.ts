import { randomBytes } from 'node:crypto'
import { closeSync, openSync, readSync } from 'node:fs'
import { mkdir, open, readFile, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fsErrorCode } from './fs-error-code.ts'
import { TEMP_PREFIX } from './fs-layout.ts'

/**
 * File-level steps of the fs backend. `durable` turns the fsync calls on.
 *
 * Reads of small values are synchronous: open, read and close of an existing small file take
 * microseconds on a local file system, while each async call is a round trip through the libuv
 * thread pool that costs more than the system call itself (on the benchmark machine 140–170 µs
 * per async open + close against about 5 µs synchronous; docs/benchmarks.md), and a KBS
 * handshake reads about ten values. Creating, renaming and unlinking files stay async: they
 * change directories and can wait on the file system's journal (0.4–0.5 ms per create under load
 * there), which must not stall the event loop; so do fsync and large reads.
 */
const FIRST_READ_BYTES = 16 * 1024

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

/**
 * The file's bytes, or undefined when it (or a directory above it) does not exist. A small file
 * (up to 16 KiB) is read synchronously in one read(); a larger one is then read again whole, asynchronously (if
 * it was replaced in between, that is the newer complete value: still one atomic read).
 */
export async function readIfExists(path: string): Promise<Uint8Array | undefined> {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    if (isAbsent(error)) return undefined
    throw error
  }
  const first = Buffer.allocUnsafe(FIRST_READ_BYTES + 1)
  let bytesRead: number
  try {
    bytesRead = readSync(fd, first, 0, first.byteLength, null)
  } finally {
    closeSync(fd)
  }
  if (bytesRead <= FIRST_READ_BYTES) return new Uint8Array(first.subarray(0, bytesRead))
  try {
    const data = await readFile(path)
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  } catch (error) {
    if (isAbsent(error)) return undefined
    throw error
  }
}

function isAbsent(error: unknown): boolean {
  const code = fsErrorCode(error)
  return code === 'ENOENT' || code === 'ENOTDIR'
}

/** Unlinks a file, ignoring every error (for clean-up paths that already report another one). */
export async function removeQuietly(path: string): Promise<void> {
  await unlink(path).catch(() => undefined)
}
