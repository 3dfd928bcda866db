import type { Command } from '../command.ts'

/** Every command, in the order `carapace --help` lists them. */
export const COMMANDS: readonly Command[] = []
