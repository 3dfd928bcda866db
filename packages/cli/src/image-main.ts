import { processIo, type CommandIo } from './command.ts'
import { IMAGE_COMMANDS } from './commands/image-commands.ts'
import { runCommands } from './run-commands.ts'

/** `carapace image …` and `carapace keyprovider …` without loading the other commands' packages. */
export function imageMain(argv: readonly string[], io: CommandIo = processIo): Promise<number> {
  return runCommands(argv, io, IMAGE_COMMANDS)
}
