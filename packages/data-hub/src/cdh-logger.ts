export type CdhLogLevel = 'info' | 'warn' | 'error'

/** Where the CDH reports what it did; never given secret bytes. */
export type CdhLogger = (level: CdhLogLevel, message: string, fields?: Record<string, unknown>) => void

/** JSON lines `{"time","level","component":"cdh","msg",…fields}`, on stderr unless told otherwise. */
export function createStderrCdhLogger(
  write: (line: string) => void = (line) => process.stderr.write(line),
  now: () => Date = () => new Date(),
): CdhLogger {
  return (level, message, fields = {}) => {
    const line = { time: now().toISOString(), level, component: 'cdh', msg: message, ...fields }
    write(`${JSON.stringify(line)}\n`)
  }
}
