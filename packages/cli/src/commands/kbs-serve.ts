import { resolve } from 'node:path'
import {
  createJsonLinesLogger,
  DEFAULT_DATA_DIR,
  KbsConfigError,
  KbsError,
  KbsServerError,
  loadKbsConfig,
  startKbsServer,
  type KbsServerOptions,
  type RunningKbs,
} from '@carapace/kbs'
import { StorageError } from '@carapace/storage'
import type { Command, CommandIo } from '../command.ts'
import { parseFlags, UsageError } from '../flags.ts'
import { EXIT_FAILURE, EXIT_OK, runAction } from '../output.ts'

const usage = `Usage: carapace kbs serve [options]

Runs the trust plane: the KBS with a built-in Attestation Service and RVPS. Without a config
file it starts on safe embedded defaults under the data directory: HTTPS on 127.0.0.1:8080 with
a generated self-signed certificate, the admin API behind a generated Ed25519 key, an ES256
token key, and file storage. Key files are generated once and reused. Logs are JSON lines on
stderr; what to do next is printed on stdout. Stops cleanly on SIGINT/SIGTERM.

Options:
  -c, --config FILE              a Trustee kbs-config file (.toml, .yaml, .json); default
                                 $KBS_CONFIG_FILE, else the embedded defaults
      --data-dir DIR             where the defaults keep keys and storage; default
                                 $CARAPACE_DATA_DIR, else ./carapace-data
      --listen HOST:PORT         listen here instead of http_server.sockets (port 0: any free one)
      --tls-san NAME             a DNS name or IP address the generated TLS certificate should
                                 also name (repeatable; it always names localhost, 127.0.0.1,
                                 ::1 and the listened host). Only when it is first generated
      --collateral DIR           vendor collateral for the hardware verifiers from this flat folder
                                 (docs/collateral.md), for air-gapped sites: no AMD KDS or Intel
                                 PCS is then asked; also read: VCEK stores named in the config and
                                 what \`carapace collateral import\` put in DATA_DIR/collateral-cache
      --insecure-allow-sample-tee
                                 DEVELOPMENT ONLY: let sample TEE evidence (no real TEE) be
                                 affirming, so the default policy releases secrets to it

Examples:
  carapace kbs serve
  carapace kbs serve --config kbs-config.toml --listen 0.0.0.0:8080`

export interface KbsServeDeps {
  /** Resolves when the server should stop; default: the first SIGINT or SIGTERM. */
  readonly stop?: Promise<unknown>
  /** Told once the server listens (tests). */
  readonly onStarted?: (kbs: RunningKbs) => void
  readonly env?: Readonly<Record<string, string | undefined>>
}

function untilSignal(): { promise: Promise<string>; dispose(): void } {
  let dispose = (): void => undefined
  const promise = new Promise<string>((done) => {
    const onSignal = (signal: string): void => {
      dispose()
      done(signal)
    }
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    dispose = () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  })
  return { promise, dispose }
}

function quote(path: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`
}

const field = (label: string, value: string): string => `  ${label.padEnd(21)}${value}`

/**
 * How to run this CLI again in the user's shell: under npm (`npm start`, `npx carapace`), which
 * sets `npm_command`, the package's bin is not on PATH, so `npx carapace`; otherwise `carapace`.
 */
export function carapaceInvocation(env: Readonly<Record<string, string | undefined>>): string {
  return env['npm_command'] === undefined ? 'carapace' : 'npx carapace'
}

/** What a user needs next: where to connect, what to trust, where the admin key is, what to run. */
export function startupSummary(
  kbs: RunningKbs,
  where: { readonly dataDir: string; readonly configPath: string | undefined; readonly command?: string },
  sampleTeeAllowed: boolean,
): string {
  const carapace = where.command ?? 'carapace'
  const lines = ['Carapace trust plane (KBS + Attestation Service + RVPS) is running.', '']
  lines.push(field('URL:', kbs.urls.join(' ')))
  if (kbs.certificatePath !== undefined) lines.push(field('TLS certificate:', kbs.certificatePath))
  if (kbs.fingerprintSha256 !== undefined) lines.push(field('SHA-256 fingerprint:', kbs.fingerprintSha256))
  if (kbs.adminPrivateKeyPath !== undefined) lines.push(field('Admin private key:', kbs.adminPrivateKeyPath))
  if (where.configPath === undefined) lines.push(field('Data directory:', where.dataDir))
  else lines.push(field('Config file:', resolve(where.configPath)))
  if (kbs.storageDir !== undefined) lines.push(field('Storage:', kbs.storageDir))
  if (sampleTeeAllowed) {
    lines.push('', '  WARNING: --insecure-allow-sample-tee is on: sample (fake) TEE evidence can receive secrets.')
  }
  const connection = [
    `--url ${kbs.url}`,
    ...(kbs.certificatePath === undefined ? [] : [`--cert-file ${quote(kbs.certificatePath)}`]),
  ]
  const client = `${carapace} client ${connection.join(' ')}`
  const key = kbs.adminPrivateKeyPath === undefined ? '<admin-key.pem>' : quote(kbs.adminPrivateKeyPath)
  const config = `${client} config --admin-token-file admin.jwt`
  lines.push(
    '',
    'Next, in another terminal (operator, then a sample guest):',
    `  ${carapace} admin token --key ${key} --out admin.jwt`,
    `  ${config} set-resource --path default/key/one --resource-file secret.txt`,
    `  ${config} set-resource-policy --affirming`,
  )
  if (sampleTeeAllowed) {
    lines.push(
      `  ${config} set-sample-reference-value launch_digest abcde`,
      `  ${config} set-sample-reference-value svn 1`,
      `  ${config} set-sample-reference-value major_version 1 --as-integer --as-single-value`,
      `  ${config} set-sample-reference-value minimum_minor_version 0 --as-integer --as-single-value`,
      `  ${client} get-resource --path default/key/one`,
    )
  } else {
    lines.push(
      `  ${client} get-resource --path default/key/one`,
      '  (denied: sample evidence is never affirming; for development, restart with --insecure-allow-sample-tee)',
    )
  }
  lines.push('', 'Stop with Ctrl-C.', '')
  return lines.join('\n')
}

/** Errors a user can fix (config, key files, sockets, storage): one line, no stack. */
function expectedFailure(error: unknown): string | undefined {
  if (error instanceof KbsConfigError || error instanceof KbsServerError || error instanceof StorageError) {
    return error.message
  }
  if (error instanceof KbsError && error.code === 'ADMIN_AUTH_INITIALIZATION') return `[admin]: ${error.message}`
  if (error instanceof KbsError && error.code === 'TOKEN_VERIFIER') return `[attestation_token]: ${error.message}`
  return undefined
}

export async function runKbsServe(args: readonly string[], io: CommandIo, deps: KbsServeDeps = {}): Promise<number> {
  return runAction(kbsServe, io, async () => {
    const { values, positionals } = parseFlags(args, {
      config: { type: 'string', short: 'c' },
      'data-dir': { type: 'string' },
      listen: { type: 'string' },
      'tls-san': { type: 'string', multiple: true },
      'insecure-allow-sample-tee': { type: 'boolean' },
      collateral: { type: 'string' },
    })
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`)
    const env = deps.env ?? process.env
    const configPath = values.config ?? (env['KBS_CONFIG_FILE'] === '' ? undefined : env['KBS_CONFIG_FILE'])
    const dataDir = resolve(values['data-dir'] ?? env['CARAPACE_DATA_DIR'] ?? DEFAULT_DATA_DIR)
    const insecureAllowSampleTee = values['insecure-allow-sample-tee'] ?? false
    const logger = createJsonLinesLogger((line) => {
      io.stderr(line)
    })
    const signal = deps.stop === undefined ? untilSignal() : undefined
    try {
      const options: KbsServerOptions = { dataDir, insecureAllowSampleTee, logger }
      let kbs: RunningKbs
      try {
        const loaded = configPath === undefined ? undefined : await loadKbsConfig(configPath)
        kbs = await startKbsServer({
          ...options,
          ...(loaded === undefined ? {} : { config: loaded.config, configPath, configWarnings: loaded.warnings }),
          ...(values.listen === undefined ? {} : { listen: values.listen }),
          ...(values['tls-san'] === undefined ? {} : { tlsSubjectAltNames: values['tls-san'] }),
          ...(values.collateral === undefined ? {} : { collateralDir: values.collateral }),
        })
      } catch (error) {
        const message = expectedFailure(error)
        if (message === undefined) throw error
        io.stderr(`carapace kbs serve: ${message}\n`)
        return EXIT_FAILURE
      }
      io.stdout(startupSummary(kbs, { dataDir, configPath, command: carapaceInvocation(env) }, insecureAllowSampleTee))
      deps.onStarted?.(kbs)
      const reason = await (deps.stop ?? signal?.promise)
      logger.log('info', 'stopping', { reason: typeof reason === 'string' ? reason : 'stop requested' })
      await kbs.close()
      return EXIT_OK
    } finally {
      signal?.dispose()
    }
  })
}

export const kbsServe: Command = {
  path: ['kbs', 'serve'],
  summary: 'Run the trust plane: KBS with built-in Attestation Service and RVPS',
  usage,
  run: (args, io) => runKbsServe(args, io),
}
