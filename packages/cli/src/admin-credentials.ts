import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { KbsClientError, mintAdminToken, type AdminTokenOptions } from '@carapace/kbs-client'
import { CliFailure } from './cli-failure.ts'
import { UsageError } from './flags.ts'
import { readInputText } from './input-files.ts'

/** What the admin commands read from the process, injected for tests. */
export interface AdminEnvironment {
  /** CARAPACE_DATA_DIR is the one variable read. */
  readonly env: Readonly<Record<string, string | undefined>>
  /** Milliseconds since the epoch. */
  readonly now: () => number
}

export const processAdminEnvironment: AdminEnvironment = { env: process.env, now: Date.now }

/** The admin private key `carapace kbs serve` generates in its data directory. */
export function defaultAdminKeyPath(env: AdminEnvironment['env']): string {
  return join(env['CARAPACE_DATA_DIR'] ?? 'carapace-data', 'admin', 'admin-key.pem')
}

/** Lifetime of a token minted on the fly for one config command. */
export const ON_THE_FLY_TTL_SECONDS = 300

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 }
const MAX_TTL_SECONDS = 366 * 86400

/** `90`, `90s`, `15m`, `1h`, `7d` → seconds (1 s to 366 d). */
export function parseTtl(text: string): number {
  const match = /^([0-9]{1,9})([smhd]?)$/.exec(text)
  const seconds = match === null ? Number.NaN : Number(match[1]) * (UNIT_SECONDS[match[2] || 's'] ?? Number.NaN)
  if (!(seconds >= 1 && seconds <= MAX_TTL_SECONDS)) {
    throw new UsageError(`--ttl must be a duration like 90s, 15m, 1h or 7d (at most 366d), got ${JSON.stringify(text)}`)
  }
  return seconds
}

/** Mints an admin token from a PEM private key file; key problems name the flag and the file. */
export function mintFromKeyFile(flag: string, path: string, options: AdminTokenOptions): string {
  const pem = readInputText(flag, path)
  try {
    return mintAdminToken(pem, options)
  } catch (e) {
    if (e instanceof KbsClientError) throw new CliFailure(`${flag} ${path}: ${e.message}`, { cause: e })
    throw e
  }
}

export interface AdminCredentialFlags {
  readonly 'admin-token-file'?: string | undefined
  readonly 'admin-token'?: string | undefined
  readonly 'admin-key'?: string | undefined
  /** Trustee kbs-client's name for the admin key. */
  readonly 'auth-private-key'?: string | undefined
}

export interface AdminCredentials {
  /** Sent as `Authorization: Bearer`; absent: anonymous (an InsecureAllowAll KBS). */
  readonly token: string | undefined
  /** For error messages: where the token came from. */
  readonly description: string
}

/**
 * The admin token for a config command: at most one of --admin-token-file, --admin-token,
 * --admin-key (alias --auth-private-key, minted on the fly); without any, the default data
 * directory's admin key when it exists, else no token.
 */
export function resolveAdminCredentials(flags: AdminCredentialFlags, environment: AdminEnvironment): AdminCredentials {
  const given = (['admin-token-file', 'admin-token', 'admin-key', 'auth-private-key'] as const).filter(
    (name) => flags[name] !== undefined,
  )
  if (given.length > 1) throw new UsageError(`give only one of ${given.map((n) => `--${n}`).join(', ')}`)
  const mintOptions = { role: 'admin', ttlSeconds: ON_THE_FLY_TTL_SECONDS, now: environment.now }
  const tokenFile = flags['admin-token-file']
  if (tokenFile !== undefined) {
    const token = readInputText('--admin-token-file', tokenFile).trim()
    if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token)) {
      throw new CliFailure(`--admin-token-file ${tokenFile} does not hold a JWT`)
    }
    return { token, description: `--admin-token-file ${tokenFile}` }
  }
  const token = flags['admin-token']
  if (token !== undefined) {
    if (token.trim() === '') throw new UsageError('--admin-token is empty')
    return { token: token.trim(), description: '--admin-token' }
  }
  const keyFlag = flags['admin-key'] === undefined ? 'auth-private-key' : 'admin-key'
  const keyPath = flags[keyFlag]
  if (keyPath !== undefined) {
    return {
      token: mintFromKeyFile(`--${keyFlag}`, keyPath, mintOptions),
      description: `a token minted from --${keyFlag} ${keyPath}`,
    }
  }
  const defaultKey = defaultAdminKeyPath(environment.env)
  if (existsSync(defaultKey)) {
    return {
      token: mintFromKeyFile('admin key', defaultKey, mintOptions),
      description: `a token minted from the default admin key ${defaultKey}`,
    }
  }
  return {
    token: undefined,
    description: `none (no ${defaultKey}): pass --admin-token-file, --admin-token or --admin-key`,
  }
}
