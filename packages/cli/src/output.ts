import { RegoError } from '@carapace/rego/errors'
import type { Command, CommandIo } from './command.ts'
import { UsageError } from './flags.ts'

/** Exit statuses: 0 success, 1 failure (errors, failed tests, pass rate too low), 2 usage. */
export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2

/** A Rego error with `file:row:col` locations (`row:col` in the query), one line per error. */
export function formatRegoError(e: RegoError): string {
  const one = (x: RegoError): string => {
    const loc = x.location
    const where = loc ? `${loc.file ? `${loc.file}:` : ''}${loc.row}:${loc.col}: ` : ''
    return `${where}${x.code}: ${x.message}`
  }
  if (e.errors.length <= 1) return one(e)
  return [`${e.errors.length} errors occurred:`, ...e.errors.map(one)].join('\n')
}

/**
 * Run a command body, turning its errors into messages and exit statuses: usage mistakes print
 * the usage (2), Rego errors print with their locations (1), anything else is reported as an
 * internal error (1).
 */
export async function runAction(
  command: Command,
  io: CommandIo,
  action: () => Promise<number> | number,
): Promise<number> {
  const name = `carapace ${command.path.join(' ')}`
  try {
    return await action()
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${name}: ${e.message}\n\n${command.usage}\n`)
      return EXIT_USAGE
    }
    if (e instanceof RegoError) {
      io.stderr(`${formatRegoError(e)}\n`)
      return EXIT_FAILURE
    }
    io.stderr(`${name}: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
    return EXIT_FAILURE
  }
}
