import { createHash } from 'node:crypto'
import { join } from 'node:path'

/*
 * Where the fs backend keeps each key:
 *
 * - The key is encoded by replacing every `/` with the four characters `\x2F` (Trustee's LocalFs
 *   spelling, so small layouts are interchangeable with upstream). Keys never contain `\`, so the
 *   encoding is injective and decodes by the reverse replacement.
 * - An encoded key of at most 240 bytes is the file `<dir>/<namespace>/<encoded>`.
 * - A longer one (up to 637 bytes: 256 characters with `/` widened to 4) does not fit in one file
 *   name (NAME_MAX 255). Its last 200 characters are the file name; the characters before are cut
 *   into pieces of at most 200, each a directory named `<piece>~`. The file's path therefore spells
 *   the whole encoded key, and a name ending in `~` is never a file (keys contain no `~`).
 * - Names starting with `~` are the backend's own: temp files `~tmp-…` and lock files `~lock-…`.
 *   No encoded key or piece starts with `~`, so they can never be mistaken for keys.
 * - A namespace is encoded the same way; one longer than 240 bytes becomes `~ns-<sha256 hex>`.
 */

const SINGLE_FILE_MAX = 240
const PIECE = 200
export const DIR_SUFFIX = '~'
export const INTERNAL_PREFIX = '~'
export const TEMP_PREFIX = '~tmp-'
export const LOCK_PREFIX = '~lock-'

export function encodeName(name: string): string {
  return name.replaceAll('/', '\\x2F')
}

export function decodeName(encoded: string): string {
  return encoded.replaceAll('\\x2F', '/')
}

/** The directory of a namespace under the storage root. */
export function namespaceDir(root: string, namespace: string): string {
  const encoded = encodeName(namespace)
  if (encoded.length <= SINGLE_FILE_MAX) return join(root, encoded)
  return join(root, `~ns-${createHash('sha256').update(namespace).digest('hex')}`)
}

/** Where a key lives inside its namespace directory: the directories below it, then the file. */
export interface KeyLocation {
  /** Directory names between the namespace directory and the file (empty for most keys). */
  readonly dirs: readonly string[]
  readonly file: string
}

export function keyLocation(key: string): KeyLocation {
  const encoded = encodeName(key)
  if (encoded.length <= SINGLE_FILE_MAX) return { dirs: [], file: encoded }
  const head = encoded.slice(0, encoded.length - PIECE)
  const dirs: string[] = []
  for (let i = 0; i < head.length; i += PIECE) dirs.push(head.slice(i, i + PIECE) + DIR_SUFFIX)
  return { dirs, file: encoded.slice(encoded.length - PIECE) }
}

/** Whether `dirs` + `file`, found on disk, is exactly where `key` is stored (not a stray file). */
export function isCanonicalLocation(key: string, dirs: readonly string[], file: string): boolean {
  const expected = keyLocation(key)
  return expected.file === file && expected.dirs.length === dirs.length && expected.dirs.every((d, i) => d === dirs[i])
}
