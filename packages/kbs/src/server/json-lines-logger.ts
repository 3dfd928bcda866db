import type { KbsLogger } from '../http/kbs-logger.ts'

/** The default log sink of `kbs serve`: one JSON object per line (`time`, `level`, `msg`, fields). */
export function createJsonLinesLogger(
  write: (line: string) => void = (line) => process.stderr.write(line),
  now: () => Date = () => new Date(),
): KbsLogger {
  return {
    log(level, message, fields) {
      write(`${JSON.stringify({ time: now().toISOString(), level, msg: message, ...fields })}\n`)
    },
  }
}
