import { readFileSync } from 'node:fs'
import { CocoError } from '@carapace/protocol'
import {
  addProviderKey,
  configuredKeyUnwrappers,
  jweKeyUnwrapper,
  loadKeyProviderConfig,
  parsePrivateKey,
  terminalProgress,
  silentProgress,
  type KeyUnwrapper,
  type OpenImageOptions,
  type ParsedKey,
  type Progress,
  type RegistryClientOptions,
} from '@carapace/image'
import { CliFailure } from '../cli-failure.ts'
import type { Command, CommandIo } from '../command.ts'
import { integerFlag, UsageError } from '../flags.ts'
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

/** `--decryption-key` values as skopeo takes them: JWE private key files, or provider:NAME[:PARAMS]. */
export async function decryptionKeys(specs: readonly string[]): Promise<KeyUnwrapper[]> {
  const jwe: ParsedKey[] = []
  const providers: Record<string, Uint8Array[]> = {}
  for (const spec of specs) {
    if (spec.startsWith('provider:')) addProviderKey(providers, spec)
    else jwe.push(parsePrivateKey(readBytes(spec, '--decryption-key')))
  }
  const unwrappers: KeyUnwrapper[] = jwe.length === 0 ? [] : [jweKeyUnwrapper(jwe)]
  if (Object.keys(providers).length > 0) {
    unwrappers.push(...configuredKeyUnwrappers(await loadKeyProviderConfig(), providers))
  }
  return unwrappers
}

/** `--layer N`, repeatable: 0-based, negative counts from the end (as ocicrypt's); absent → undefined. */
export function layerFlags(texts: readonly string[] | undefined): number[] | undefined {
  const layers = texts?.map((text) => {
    const negative = text.startsWith('-')
    const n = integerFlag('layer', negative ? text.slice(1) : text, 0) ?? 0
    return negative ? -n : n
  })
  if (layers !== undefined && layers.some((n) => Object.is(n, -0))) throw new UsageError('--layer -0 is not a layer')
  return layers
}

/** The skopeo-style transport flags of a command that reads SRC (and, with `dest`, writes DST). */
export const SOURCE_FLAGS = {
  'src-tls-verify': { type: 'string' },
  'src-ca': { type: 'string' },
  'src-creds': { type: 'string' },
} as const
export const DESTINATION_FLAGS = {
  'dest-tls-verify': { type: 'string' },
  'dest-ca': { type: 'string' },
  'dest-creds': { type: 'string' },
} as const

type FlagValues = Readonly<Record<string, unknown>>

function sideOptions(values: FlagValues, side: 'src' | 'dest'): OpenImageOptions {
  const text = (name: string): string | undefined => {
    const v = values[`${side}-${name}`]
    return typeof v === 'string' ? v : undefined
  }
  return registryOptions(tlsVerifyFlag(`${side}-tls-verify`, text('tls-verify')), text('ca'), {
    flag: `${side}-creds`,
    value: text('creds'),
  })
}

/** Registry options for SRC from `--src-tls-verify`, `--src-ca`, `--src-creds`. */
export function sourceOptions(values: FlagValues): OpenImageOptions {
  return sideOptions(values, 'src')
}

/** Registry options for DST from `--dest-tls-verify`, `--dest-ca`, `--dest-creds`. */
export function destinationOptions(values: FlagValues): OpenImageOptions {
  return sideOptions(values, 'dest')
}

/**
 * Runs `work` with an AbortSignal that SIGINT or SIGTERM aborts (the pipelines then stop at the
 * next chunk and clean up); the handlers are removed when `work` settles.
 */
export async function abortOnStopSignals<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController()
  const stop = (): void => {
    abort.abort()
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  try {
    return await work(abort.signal)
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
  }
}
