import { parseArgs, type ParseArgsConfig } from 'node:util'

/** A command-line mistake: the command prints it with its usage and exits with status 2. */
export class UsageError extends Error {
  readonly code = 'usage'
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

type FlagSpec = NonNullable<ParseArgsConfig['options']>

type ParsedFlags<O extends FlagSpec> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>

/** `node:util.parseArgs` in strict mode with positionals; its errors become UsageErrors. */
export function parseFlags<const O extends FlagSpec>(args: readonly string[], options: O): ParsedFlags<O> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true })
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e))
  }
}

/** A number flag within [min, max]; undefined when the flag was not given. */
export function numberFlag(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, got ${JSON.stringify(text)}`)
  }
  return n
}

/** An integer flag of at least `min`; undefined when the flag was not given. */
export function integerFlag(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined
  if (!/^[0-9]+$/.test(text) || Number(text) < min) {
    throw new UsageError(`--${name} must be an integer of at least ${min}, got ${JSON.stringify(text)}`)
  }
  return Number(text)
}

/** One of the allowed values. */
export function choiceFlag<const T extends string>(name: string, text: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => a === text)
  if (found === undefined) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(text)}`)
  }
  return found
}
