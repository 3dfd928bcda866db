import { KbsClientError } from '@carapace/kbs-client'
import { CocoError } from '@carapace/protocol'
import { CliFailure } from './cli-failure.ts'
import type { Command, CommandIo } from './command.ts'
import { kbsFailureMessage, type KbsFailureContext } from './kbs-failure-message.ts'
import { EXIT_FAILURE, runAction } from './output.ts'

/** Where a failure message can find the KBS context once the flags are parsed. */
export interface FailureContextHolder {
  context: KbsFailureContext | undefined
  /** The subcommand words, once known, for the message prefix (e.g. `get-resource`). */
  label: string | undefined
}

/**
 * runAction for commands that talk to a KBS: expected failures (CliFailure, KBS client errors,
 * coded input errors such as bad init-data) print one clear message and exit 1; usage mistakes
 * and anything unexpected keep runAction's handling.
 */
export function runClientAction(
  command: Command,
  io: CommandIo,
  action: (holder: FailureContextHolder) => Promise<number>,
): Promise<number> {
  const holder: FailureContextHolder = { context: undefined, label: undefined }
  return runAction(command, io, async () => {
    try {
      return await action(holder)
    } catch (e) {
      const name = ['carapace', ...command.path, ...(holder.label === undefined ? [] : [holder.label])].join(' ')
      if (e instanceof KbsClientError) {
        const message = holder.context === undefined ? e.message : kbsFailureMessage(e, holder.context)
        io.stderr(`${name}: ${message}\n`)
        return EXIT_FAILURE
      }
      if (e instanceof CliFailure || e instanceof CocoError) {
        io.stderr(`${name}: ${e.message}\n`)
        return EXIT_FAILURE
      }
      throw e
    }
  })
}
