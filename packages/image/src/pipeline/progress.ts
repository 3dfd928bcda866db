import { Transform } from 'node:stream'

/** One unit of work with a known size (a layer being pulled or encrypted). */
export interface ProgressTask {
  advance(bytes: number): void
  done(): void
}

/** Where the pipelines report bytes moved; the CLI draws a bar on a TTY, tests count. */
export interface Progress {
  start(label: string, totalBytes: number): ProgressTask
}

export const silentProgress: Progress = {
  start: () => ({ advance: () => undefined, done: () => undefined }),
}

/** Passes bytes through and reports their count to `task`. */
export function countingStream(task: ProgressTask): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      task.advance(chunk.length)
      callback(null, chunk)
    },
  })
}

/** The terminal a bar is drawn on: what a TTY `process.stderr` offers. */
export interface ProgressTerminal {
  write(text: string): unknown
  readonly columns?: number
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB']

export function formatBytes(n: number): string {
  let value = n
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`
}

/**
 * One line per task, redrawn in place (`\r`) at most every `intervalMs` and once when it finishes:
 * `label [#####.....] 12.0 MiB / 40.0 MiB`. Tasks run one after another.
 */
export function terminalProgress(
  terminal: ProgressTerminal,
  options: { intervalMs?: number; now?: () => number } = {},
): Progress {
  const interval = options.intervalMs ?? 100
  const now = options.now ?? Date.now
  return {
    start(label, totalBytes) {
      let done = 0
      let last = -Infinity
      const draw = (final: boolean): void => {
        const width = Math.max(10, Math.min(40, (terminal.columns ?? 80) - label.length - 40))
        const ratio = totalBytes > 0 ? Math.min(1, done / totalBytes) : 1
        const filled = Math.round(ratio * width)
        const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`
        terminal.write(`\r${label} [${bar}] ${formatBytes(done)} / ${formatBytes(totalBytes)}${final ? '\n' : ''}`)
      }
      return {
        advance(bytes) {
          done += bytes
          const t = now()
          if (t - last >= interval) {
            last = t
            draw(false)
          }
        },
        done() {
          draw(true)
        },
      }
    },
  }
}
