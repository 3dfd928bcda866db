import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { KbsLogger, LogLevel } from '../http/kbs-logger.ts'

export interface LogLine {
  readonly level: LogLevel
  readonly message: string
  readonly fields: Readonly<Record<string, string | number>>
}

/** A logger that keeps its lines, for tests. */
export function capturingLogger(): KbsLogger & { readonly lines: LogLine[] } {
  const lines: LogLine[] = []
  return {
    lines,
    log: (level, message, fields) => {
      lines.push({ level, message, fields })
    },
  }
}

/** A fresh temp directory and its removal. */
export function tempDir(prefix: string): { readonly dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return {
    dir,
    remove: () => {
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
