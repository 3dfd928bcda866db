import { readdir, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { fsErrorCode } from './fs-error-code.ts'
import { LOCK_PREFIX, TEMP_PREFIX } from './fs-layout.ts'

export interface SweepOptions {
  /** Temp files older than this are leftovers of a crashed write. */
  readonly tempMaxAgeMs: number
  /** Lock files older than this are leftovers of a crashed process. */
  readonly lockStaleMs: number
}

/**
 * Removes leftovers of crashed processes below `root`: temp files and lock files older than the
 * given ages. Younger ones may belong to another live process sharing the directory, so they are
 * kept (they are never listed as keys either way). Returns how many files it removed.
 */
export async function sweepLeftovers(root: string, options: SweepOptions): Promise<number> {
  let removed = 0
  const now = Date.now()
  async function visit(dir: string): Promise<void> {
    let entries
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch (error) {
      if (fsErrorCode(error) === 'ENOENT') return
      throw error
    }
    for (const entry of entries) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        await visit(path)
        continue
      }
      const maxAge = entry.name.startsWith(TEMP_PREFIX)
        ? options.tempMaxAgeMs
        : entry.name.startsWith(LOCK_PREFIX)
          ? options.lockStaleMs
          : undefined
      if (maxAge === undefined) continue
      try {
        if (now - (await stat(path)).mtimeMs <= maxAge) continue
        await unlink(path)
        removed++
      } catch (error) {
        // Another process removed or renamed it first.
        if (fsErrorCode(error) !== 'ENOENT') throw error
      }
    }
  }
  await visit(root)
  return removed
}
