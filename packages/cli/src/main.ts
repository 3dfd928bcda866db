import { processIo, type Command, type CommandIo } from './command.ts'
import { COMMANDS } from './commands/index.ts'
import { runCommands } from './run-commands.ts'

/** Entry point of the `carapace` command; returns the exit code. */
export async function main(
  argv: readonly string[],
  io: CommandIo = processIo,
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  return runCommands(argv, io, commands)
}
