import { readFile as fsReadFile } from 'node:fs/promises'
import { KeyProviderError } from './keyprovider-error.ts'

// OCICRYPT_KEYPROVIDER_CONFIG (spec §4.1), read as ocicrypt does: only from the env var, a missing
// file means no providers, `cmd` wins over `grpc`. Stricter than ocicrypt: a file that does not parse
// is an error (ocicrypt logs it and carries on with no providers, which ends in a confusing
// "no wrapped keys produced").

export const KEY_PROVIDER_CONFIG_ENV = 'OCICRYPT_KEYPROVIDER_CONFIG'

export interface GrpcTlsConfig {
  rootCaFile?: string
  certFile?: string
  keyFile?: string
  serverName?: string
}

export type KeyProviderEndpoint =
  { kind: 'cmd'; path: string; args: string[] } | { kind: 'grpc'; address: string; tls?: GrpcTlsConfig }

/** Provider name → how to reach it. */
export type KeyProviderConfig = ReadonlyMap<string, KeyProviderEndpoint>

function bad(source: string, what: string): KeyProviderError {
  return new KeyProviderError('INVALID_CONFIG', `${source}: ${what}`)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function optionalString(o: Record<string, unknown>, key: string, where: string, source: string): string | undefined {
  const v = o[key]
  if (v === undefined || v === null || v === '') return undefined
  if (typeof v !== 'string') throw bad(source, `${where}.${key} is not a string`)
  return v
}

function parseTls(value: unknown, where: string, source: string): GrpcTlsConfig | undefined {
  if (value === undefined || value === null) return undefined
  if (!isObject(value)) throw bad(source, `${where} is not an object`)
  if (value['insecure-skip-verify'] === true) {
    throw bad(source, `${where}.insecure-skip-verify is not supported: give root-ca-file instead`)
  }
  const tls: GrpcTlsConfig = {}
  const rootCaFile = optionalString(value, 'root-ca-file', where, source)
  const certFile = optionalString(value, 'cert-file', where, source)
  const keyFile = optionalString(value, 'key-file', where, source)
  const serverName = optionalString(value, 'server-name', where, source)
  if ((certFile === undefined) !== (keyFile === undefined))
    throw bad(source, `${where} needs both cert-file and key-file`)
  if (rootCaFile !== undefined) tls.rootCaFile = rootCaFile
  if (certFile !== undefined) tls.certFile = certFile
  if (keyFile !== undefined) tls.keyFile = keyFile
  if (serverName !== undefined) tls.serverName = serverName
  return tls
}

function parseEntry(name: string, value: unknown, source: string): KeyProviderEndpoint | undefined {
  const where = `key-providers.${name}`
  if (!isObject(value)) throw bad(source, `${where} is not an object`)
  const cmd = value['cmd']
  if (cmd !== undefined && cmd !== null) {
    if (!isObject(cmd)) throw bad(source, `${where}.cmd is not an object`)
    const path = cmd['path']
    if (typeof path !== 'string' || path === '') throw bad(source, `${where}.cmd.path is not a non-empty string`)
    const args = cmd['args'] ?? []
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
      throw bad(source, `${where}.cmd.args is not a list of strings`)
    }
    return { kind: 'cmd', path, args }
  }
  const address = optionalString(value, 'grpc', where, source)
  if (address !== undefined) {
    if (!/^[^\s/]+:\d+$/.test(address)) throw bad(source, `${where}.grpc ${JSON.stringify(address)} is not host:port`)
    const tls = parseTls(value['grpc-tls'], `${where}.grpc-tls`, source)
    return tls === undefined ? { kind: 'grpc', address } : { kind: 'grpc', address, tls }
  }
  // CoCo's CDH config also names ttrpc providers: ocicrypt-rs only, not reachable from here.
  if (value['ttrpc'] !== undefined) return undefined
  throw bad(source, `${where} has neither cmd nor grpc`)
}

export function parseKeyProviderConfig(json: string, source = KEY_PROVIDER_CONFIG_ENV): KeyProviderConfig {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (cause) {
    throw new KeyProviderError('INVALID_CONFIG', `${source}: not JSON`, { cause })
  }
  if (!isObject(value)) throw bad(source, 'not a JSON object')
  const providers = value['key-providers'] ?? {}
  if (!isObject(providers)) throw bad(source, 'key-providers is not an object')
  const out = new Map<string, KeyProviderEndpoint>()
  for (const [name, entry] of Object.entries(providers)) {
    if (name === '' || name.includes(':')) throw bad(source, `provider name ${JSON.stringify(name)} is unusable`)
    const endpoint = parseEntry(name, entry, source)
    if (endpoint !== undefined) out.set(name, endpoint)
  }
  return out
}

export interface LoadKeyProviderConfigOptions {
  env?: Readonly<Record<string, string | undefined>>
  readFile?: (path: string) => Promise<string>
}

/** The providers named by `$OCICRYPT_KEYPROVIDER_CONFIG`; none when it is unset or the file is absent. */
export async function loadKeyProviderConfig(options: LoadKeyProviderConfigOptions = {}): Promise<KeyProviderConfig> {
  const path = (options.env ?? process.env)[KEY_PROVIDER_CONFIG_ENV]
  if (path === undefined || path === '') return new Map()
  let text: string
  try {
    text = await (options.readFile ?? ((p: string) => fsReadFile(p, 'utf8')))(path)
  } catch (cause) {
    if (isObject(cause) && cause['code'] === 'ENOENT') return new Map()
    throw new KeyProviderError('INVALID_CONFIG', `cannot read ${KEY_PROVIDER_CONFIG_ENV} file ${path}`, { cause })
  }
  return parseKeyProviderConfig(text, path)
}
