import type { KbsLogger, LogLevel } from '@carapace/kbs'

export interface LogEntry {
  readonly level: LogLevel
  readonly message: string
  readonly fields: Readonly<Record<string, unknown>>
}

/** A logger that keeps every line, so tests can read what the operator would see. */
export interface CapturingLogger extends KbsLogger {
  readonly entries: LogEntry[]
  /** Entries whose fields carry this request id. */
  forRequest(requestId: string): LogEntry[]
  /** Entries whose message or any field value contains the text. */
  mentioning(text: string): LogEntry[]
  clear(): void
}

export function createCapturingLogger(): CapturingLogger {
  const entries: LogEntry[] = []
  const text = (entry: LogEntry): string => `${entry.message} ${JSON.stringify(entry.fields)}`
  return {
    entries,
    log(level, message, fields) {
      entries.push({ level, message, fields: { ...fields } })
    },
    forRequest: (requestId) => entries.filter((entry) => entry.fields['requestId'] === requestId),
    mentioning: (needle) => entries.filter((entry) => text(entry).includes(needle)),
    clear() {
      entries.length = 0
    },
  }
}
