import type { Command, CommandIo } from './command.ts'

const VERSION = '0.1.0'

function usage(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length), 10)
  const lines = commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`)
  return [
    'carapace: the Confidential Containers trust stack',
    '',
    'Usage: carapace <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `carapace <command> --help` for the options of a command.',
    '',
  ].join('\n')
}

/** Finds the command whose path is the longest prefix of argv. */
function resolve(argv: readonly string[], commands: readonly Command[]): Command | undefined {
  let best: Command | undefined
  for (const c of commands) {
    if (c.path.every((w, i) => argv[i] === w) && (!best || c.path.length > best.path.length)) best = c
  }
  return best
}

/** Dispatches argv to one of `commands`; returns the exit code. */
export async function runCommands(
  argv: readonly string[],
  io: CommandIo,
  commands: readonly Command[],
): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(usage(commands))
    return 0
  }
  if (argv[0] === '--version') {
    io.stdout(`carapace ${VERSION}\n`)
    return 0
  }
  const command = resolve(argv, commands)
  if (!command) {
    const group = commands.filter((c) => c.path[0] === argv[0])
    if (group.length > 0) {
      io.stderr(`carapace: unknown ${argv[0]} command: ${argv.slice(1).join(' ') || '(none)'}\n\n`)
      io.stderr(usage(group))
    } else {
      io.stderr(`carapace: unknown command: ${argv[0]}\n\n${usage(commands)}`)
    }
    return 2
  }
  const rest = argv.slice(command.path.length)
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.summary}\n\n${command.usage}\n`)
    return 0
  }
  return command.run(rest, io)
}
