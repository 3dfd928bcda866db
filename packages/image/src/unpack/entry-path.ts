import { UnpackError } from './unpack-error.ts'

/** Longest accepted entry or link path (Linux PATH_MAX). */
export const MAX_PATH = 4096

/**
 * Normalizes an archive path to its components below the root: `.` and empty components dropped,
 * `..` resolved lexically. Absolute paths, `..` that would climb above the root, NUL bytes and
 * over-long paths are refused. `[]` is the root itself. Symlinks are never consulted here: the
 * writer checks every parent with lstat before using the result.
 */
export function normalizeEntryPath(raw: string, entry: string, what = 'path'): string[] {
  if (raw === '') throw new UnpackError('PATH_INVALID', `empty ${what}`, { entry })
  if (raw.length > MAX_PATH) throw new UnpackError('PATH_INVALID', `${what} is longer than ${MAX_PATH}`, { entry })
  if (raw.includes('\0')) throw new UnpackError('PATH_INVALID', `${what} contains NUL`, { entry })
  if (raw.startsWith('/')) throw new UnpackError('PATH_ESCAPE', `absolute ${what} ${JSON.stringify(raw)}`, { entry })
  const out: string[] = []
  for (const c of raw.split('/')) {
    if (c === '' || c === '.') continue
    if (c === '..') {
      if (out.length === 0)
        throw new UnpackError('PATH_ESCAPE', `${what} ${JSON.stringify(raw)} leaves the root`, { entry })
      out.pop()
      continue
    }
    out.push(c)
  }
  return out
}
