/**
 * An expected failure of a command (unreachable server, refused request, unreadable file): the
 * command prints the message (no stack) and exits with status 1.
 */
export class CliFailure extends Error {
  readonly code = 'failure'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CliFailure'
  }
}
