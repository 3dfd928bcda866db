import { UsageError } from './flags.ts'

export interface SplitArgs {
  /** The subcommand word. */
  readonly name: string
  /** Flags before the subcommand followed by everything after it. */
  readonly rest: readonly string[]
}

/**
 * Finds the subcommand word after leading flags (`--url U config …`). `valueFlags` are the long
 * flags that take a value as the next word; `--flag=value` needs no entry. Flags given before
 * the subcommand are kept, so each subcommand parses every flag it accepts in one place.
 */
export function splitSubcommand(
  args: readonly string[],
  valueFlags: readonly string[],
  subcommands: readonly string[],
  what: string,
): SplitArgs {
  let i = 0
  while (i < args.length) {
    const arg = args[i] as string
    if (arg === '--') break
    if (!arg.startsWith('-')) break
    i += !arg.includes('=') && valueFlags.includes(arg.replace(/^--/, '')) ? 2 : 1
  }
  const name = args[i]
  if (name === undefined || name === '--') throw new UsageError(`missing ${what}: one of ${subcommands.join(', ')}`)
  if (!subcommands.includes(name)) {
    throw new UsageError(`unknown ${what} ${JSON.stringify(name)}: one of ${subcommands.join(', ')}`)
  }
  return { name, rest: [...args.slice(0, i), ...args.slice(i + 1)] }
}
