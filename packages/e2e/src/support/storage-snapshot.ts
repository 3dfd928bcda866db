import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'

/** Session records change on every /auth; everything else must not move on a denial. */
const VOLATILE_TOP_LEVEL = new Set(['kbs_protocol_session'])

/**
 * Every file under a storage directory (relative path → SHA-256 of its bytes), leaving out the
 * session namespace and the storage's own temp and lock files (names starting with `~tmp-`/`~lock-`).
 */
export async function snapshotStorage(dir: string): Promise<Map<string, string>> {
  const snapshot = new Map<string, string>()
  const walk = async (current: string): Promise<void> => {
    let names
    try {
      names = await readdir(current, { withFileTypes: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
      throw error
    }
    for (const entry of names) {
      const path = join(current, entry.name)
      const rel = relative(dir, path)
      if (current === dir && VOLATILE_TOP_LEVEL.has(entry.name)) continue
      if (entry.name.startsWith('~tmp-') || entry.name.startsWith('~lock-')) continue
      if (entry.isDirectory()) await walk(path)
      else if (entry.isFile())
        snapshot.set(
          rel,
          createHash('sha256')
            .update(await readFile(path))
            .digest('hex'),
        )
    }
  }
  await walk(dir)
  return snapshot
}

/** Paths added, removed or changed between two snapshots (empty when nothing was written). */
export function storageChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed: string[] = []
  for (const [path, digest] of after) if (before.get(path) !== digest) changed.push(path)
  for (const path of before.keys()) if (!after.has(path)) changed.push(path)
  return changed.sort()
}
