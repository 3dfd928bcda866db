import { execFile } from 'node:child_process'
import { lstat } from 'node:fs/promises'
import { promisify } from 'node:util'
import type { TarEntry } from './tar-reader.ts'

const run = promisify(execFile)

/**
 * Creates a character/block device or fifo with the entry's mode. Node has no mknod(2), so this
 * runs coreutils' mknod(1), present wherever root may create nodes. An existing path fails with
 * an EEXIST error (mknod(1) only says so in its message) so the caller can replace it.
 */
export async function makeNode(p: string, entry: TarEntry): Promise<void> {
  const kind = entry.type === 'char' ? 'c' : entry.type === 'block' ? 'b' : 'p'
  const args = ['-m', (entry.mode & 0o7777).toString(8), p, kind]
  if (kind !== 'p') args.push(String(entry.devmajor), String(entry.devminor))
  try {
    await run('mknod', args)
  } catch (e) {
    const exists = await lstat(p).then(
      () => true,
      () => false,
    )
    if (exists) throw Object.assign(new Error(`${p} exists`), { code: 'EEXIST' })
    throw e
  }
}
