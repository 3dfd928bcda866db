export type LogLevel = 'info' | 'warn' | 'error'

/** Injected log sink; every line the edge writes carries the request id. Never log secrets. */
export interface KbsLogger {
  log(level: LogLevel, message: string, fields: Readonly<Record<string, string | number>>): void
}

export const silentLogger: KbsLogger = { log: () => undefined }
