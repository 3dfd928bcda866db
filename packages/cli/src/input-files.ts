import { randomBytes } from 'node:crypto'
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { CliFailure } from './cli-failure.ts'

function reason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code
  if (code === 'ENOENT') return 'no such file'
  if (code === 'EACCES') return 'permission denied'
  if (code === 'EISDIR') return 'is a directory'
  return e instanceof Error ? e.message : String(e)
}

/** The bytes of a file named by a flag; a clear error naming the flag and path otherwise. */
export function readInputBytes(flag: string, path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path))
  } catch (e) {
    throw new CliFailure(`cannot read ${flag} ${path}: ${reason(e)}`, { cause: e })
  }
}

/** A UTF-8 text file named by a flag. */
export function readInputText(flag: string, path: string): string {
  const bytes = readInputBytes(flag, path)
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch (e) {
    throw new CliFailure(`cannot read ${flag} ${path}: not UTF-8 text`, { cause: e })
  }
}

/**
 * Writes a secret (token, resource) readable by its owner only (0600): a temporary file beside
 * the target renamed over it, so a reader never sees it half-written.
 */
export function writePrivateFile(flag: string, path: string, data: string | Uint8Array): void {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    writeFileSync(temporary, data, { mode: 0o600, flag: 'wx' })
    renameSync(temporary, path)
  } catch (e) {
    rmSync(temporary, { force: true })
    throw new CliFailure(`cannot write ${flag} ${path}: ${reason(e)}`, { cause: e })
  }
}
