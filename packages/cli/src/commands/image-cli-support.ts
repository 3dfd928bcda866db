import { readFileSync } from 'node:fs'
import { CocoError } from '@carapace/protocol'
import {
  terminalProgress,
  silentProgress,
  type OpenImageOptions,
  type Progress,
  type RegistryClientOptions,
} from '@carapace/image'
import { CliFailure } from '../cli-failure.ts'
import type { Command, CommandIo } from '../command.ts'
import { UsageError } from '../flags.ts'
import { EXIT_FAILURE, runAction } from '../output.ts'

/**
 * runAction for the image and key-provider commands: coded errors of the image library (OCI,
 * ocicrypt, signature, unpack, pipeline, key provider) and CliFailures print one line with their
 * code and exit 1; usage mistakes print the usage (2).
 */
export function runImageAction(command: Command, io: CommandIo, action: () => Promise<number>): Promise<number> {
  return runAction(command, io, async () => {
    try {
      return await action()
    } catch (e) {
      const name = `carapace ${command.path.join(' ')}`
      if (e instanceof CocoError) {
        io.stderr(`${name}: ${e.message} (${e.code})\n`)
        return EXIT_FAILURE
      }
      if (e instanceof CliFailure) {
        io.stderr(`${name}: ${e.message}\n`)
        return EXIT_FAILURE
      }
      throw e
    }
  })
}

/** `--src-tls-verify=false` as skopeo spells it: true, false, or absent (default true). */
export function tlsVerifyFlag(name: string, text: string | undefined): boolean {
  if (text === undefined || text === 'true') return true
  if (text === 'false') return false
  throw new UsageError(`--${name} must be true or false, got ${JSON.stringify(text)}`)
}

/** Registry options for one side of a command (TLS verification, CA file, `USER:PASSWORD`). */
export function registryOptions(
  tlsVerify: boolean,
  caFile: string | undefined,
  creds?: { readonly flag: string; readonly value: string | undefined },
): OpenImageOptions {
  const credentials = creds?.value === undefined ? undefined : parseCreds(creds.flag, creds.value)
  const registry: RegistryClientOptions = {
    tlsVerify,
    userAgent: 'carapace/0.1.0',
    ...(caFile === undefined ? {} : { ca: readText(caFile, 'CA certificate') }),
    ...(credentials === undefined ? {} : { credentials }),
  }
  return { registry }
}

/** skopeo's `--creds USERNAME[:PASSWORD]` (the password may contain colons). */
function parseCreds(flag: string, value: string): { username: string; password: string } {
  const colon = value.indexOf(':')
  const username = colon < 0 ? value : value.slice(0, colon)
  if (username === '') throw new UsageError(`--${flag} needs USERNAME[:PASSWORD]`)
  return { username, password: colon < 0 ? '' : value.slice(colon + 1) }
}

/** A bar on stderr when it is a TTY; nothing otherwise (logs, pipes, tests). */
export function stderrProgress(): Progress {
  return process.stderr.isTTY ? terminalProgress(process.stderr) : silentProgress
}

export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new CliFailure(`cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : String(e)}`, {
      cause: e,
    })
  }
}

export function readBytes(path: string, what: string): Buffer {
  try {
    return readFileSync(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new CliFailure(`cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : String(e)}`, {
      cause: e,
    })
  }
}

/** Resolves when the process is asked to stop. */
export type StopSignal = () => Promise<string>

/** SIGINT or SIGTERM, whichever comes first. */
export const processStopSignal: StopSignal = () =>
  new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve(signal)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
