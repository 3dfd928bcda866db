export type CdhLogLevel = 'info' | 'warn' | 'error'

/** Where the CDH reports what it did; never given secret bytes. */
export type CdhLogger = (level: CdhLogLevel, message: string, fields?: Record<string, unknown>) => void

/** JSON lines on stderr: `{"time","level","component":"cdh","msg",…fields}`. */
export function createStderrCdhLogger(now: () => Date = () => new Date()): CdhLogger {
  return (level, message, fields = {}) => {
    const line = { time: now().toISOString(), level, component: 'cdh', msg: message, ...fields }
    process.stderr.write(`${JSON.stringify(line)}\n`)
  }
}
