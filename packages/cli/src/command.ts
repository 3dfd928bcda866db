/** A CLI command: one file each under commands/, mapping flags to one library call. */
export interface Command {
  /** Words after `carapace`, e.g. ['policy', 'eval']. */
  readonly path: readonly string[]
  readonly summary: string
  /** Usage text shown by `carapace <path> --help`. */
  readonly usage: string
  /** Runs the command; returns the process exit code. */
  run(args: readonly string[], io: CommandIo): Promise<number>
}

/** Output streams, injected so commands can be tested. */
export interface CommandIo {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
}

export const processIo: CommandIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
}
