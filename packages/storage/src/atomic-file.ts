import { randomBytes } from 'node:crypto'
import { link, open, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { fsErrorCode } from './fs-error-code.ts'

/**
 * A new 0600 file `.<name>.tmp-<random>` in `dir` holding `bytes` (fsynced when asked). Its name
 * starts with "." so it never collides with a stored name, none of which may.
 */
async function writeTemp(dir: string, name: string, bytes: Uint8Array, fsync: boolean): Promise<string> {
  const temp = join(dir, `.${name}.tmp-${randomBytes(8).toString('hex')}`)
  const handle = await open(temp, 'wx', 0o600)
  try {
    await handle.writeFile(bytes)
    if (fsync) await handle.sync()
  } catch (error) {
    await handle.close()
    await unlink(temp).catch(() => undefined)
    throw error
  }
  await handle.close()
  return temp
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Replaces `dir/name` by a complete new file: readers see the old or the new bytes, never a part. */
export async function replaceFile(dir: string, name: string, bytes: Uint8Array, fsync: boolean): Promise<void> {
  const temp = await writeTemp(dir, name, bytes, fsync)
  try {
    await rename(temp, join(dir, name))
  } catch (error) {
    await unlink(temp).catch(() => undefined)
    throw error
  }
  if (fsync) await syncDir(dir)
}

/** Creates `dir/name` with `bytes` only if no entry of that name exists (atomic, also between processes). */
export async function createFile(dir: string, name: string, bytes: Uint8Array, fsync: boolean): Promise<boolean> {
  const temp = await writeTemp(dir, name, bytes, fsync)
  try {
    await link(temp, join(dir, name))
  } catch (error) {
    if (fsErrorCode(error) === 'EEXIST') return false
    throw error
  } finally {
    await unlink(temp).catch(() => undefined)
  }
  if (fsync) await syncDir(dir)
  return true
}
