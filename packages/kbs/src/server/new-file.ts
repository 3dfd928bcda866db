import { randomBytes } from 'node:crypto'
import { chmod, link, mkdir, open, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { KbsServerError } from './server-error.ts'

/**
 * Creates `path` with `data`, or fails with KEY_MATERIAL (e.g. when it exists): the bytes go to a temp file in the same
 * directory (fsynced), which is then hard-linked to the final name. link() never replaces an
 * existing file, so a file someone already has is never overwritten and a reader never sees a
 * half-written one. Missing directories are created with `dirMode`.
 */
export async function writeNewFile(
  path: string,
  data: string | Uint8Array,
  mode: number,
  dirMode = 0o700,
): Promise<void> {
  try {
    await writeExclusively(path, data, mode, dirMode)
  } catch (cause) {
    const error = cause as NodeJS.ErrnoException
    const detail =
      error.code === 'EEXIST' ? 'it was created meanwhile (another server starting on this data dir?)' : error.message
    throw new KbsServerError('KEY_MATERIAL', `cannot create ${path}: ${detail}`, { cause })
  }
}

async function writeExclusively(path: string, data: string | Uint8Array, mode: number, dirMode: number): Promise<void> {
  const dir = dirname(path)
  const created = await mkdir(dir, { recursive: true, mode: dirMode })
  // mkdir's mode is filtered by the umask; the directory we create gets exactly dirMode.
  if (created !== undefined) await chmod(dir, dirMode)
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(temp, 'wx', mode)
  try {
    await handle.writeFile(data)
    await handle.chmod(mode)
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    await link(temp, path)
  } finally {
    await unlink(temp)
  }
}
