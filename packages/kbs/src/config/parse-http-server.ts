import type { ConfigReader, Mutable } from './config-reader.ts'
import type { HttpServerConfig, TlsProfile, TlsVersion } from './model.ts'

export const DEFAULT_SOCKET = '127.0.0.1:8080'
export const DEFAULT_PAYLOAD_REQUEST_SIZE_MIB = 2

const TLS_PROFILES = new Map<string, TlsProfile>([
  ['old', 'old'],
  ['intermediate', 'intermediate'],
  ['modern', 'modern'],
  ['custom', 'custom'],
])
const TLS_VERSIONS = new Map<string, TlsVersion>([
  ['1.2', '1.2'],
  ['1.3', '1.3'],
])

// IPv4 `a.b.c.d:port` or bracketed IPv6 `[::1]:port` (Rust `SocketAddr` syntax: no host names).
const SOCKET_PATTERN = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/

function checkSockets(reader: ConfigReader, key: string, sockets: string[]): string[] {
  sockets.forEach((socket, index) => {
    const match = SOCKET_PATTERN.exec(socket)
    if (match === null || Number(match[1]) > 65535) {
      throw reader.error(`${key}[${index}]`, `expected "IP:port" (e.g. "0.0.0.0:8080"), got "${socket}"`)
    }
  })
  return sockets
}

/** The socket/TLS fields shared by `[http_server]` and the pre-v0.10 top-level layout. */
export interface HttpServerInput {
  readonly sockets?: string[]
  readonly insecureHttp?: boolean
  readonly privateKey?: string
  readonly certificate?: string
}

export function readSockets(reader: ConfigReader, key: string): string[] | undefined {
  const sockets = reader.stringArray(key)
  return sockets === undefined ? undefined : checkSockets(reader, key, sockets)
}

export function parseHttpServer(reader: ConfigReader | undefined, legacy: HttpServerInput = {}): HttpServerConfig {
  const sockets = reader === undefined ? undefined : readSockets(reader, 'sockets')
  const config: Mutable<HttpServerConfig> = {
    sockets: sockets ?? legacy.sockets ?? [DEFAULT_SOCKET],
    insecureHttp: reader?.boolean('insecure_http') ?? legacy.insecureHttp ?? false,
    payloadRequestSizeMiB: reader?.integer('payload_request_size', 1, 1024) ?? DEFAULT_PAYLOAD_REQUEST_SIZE_MIB,
    tlsProfile: reader?.choice('tls_profile', TLS_PROFILES) ?? 'intermediate',
  }
  const privateKey = reader?.nonEmptyString('private_key') ?? legacy.privateKey
  if (privateKey !== undefined) config.privateKey = privateKey
  const certificate = reader?.nonEmptyString('certificate') ?? legacy.certificate
  if (certificate !== undefined) config.certificate = certificate
  const workerCount = reader?.integer('worker_count', 1, 4096)
  if (workerCount !== undefined) config.workerCount = workerCount
  const tlsMinVersion = reader?.choice('tls_min_version', TLS_VERSIONS)
  if (tlsMinVersion !== undefined) config.tlsMinVersion = tlsMinVersion
  const tlsMaxVersion = reader?.choice('tls_max_version', TLS_VERSIONS)
  if (tlsMaxVersion !== undefined) config.tlsMaxVersion = tlsMaxVersion
  const tlsCiphers = reader?.nonEmptyString('tls_ciphers')
  if (tlsCiphers !== undefined) config.tlsCiphers = tlsCiphers
  const tlsGroups = reader?.nonEmptyString('tls_groups')
  if (tlsGroups !== undefined) config.tlsGroups = tlsGroups
  const authRateLimitPerSecond = reader?.integer('auth_rate_limit_per_second', 1)
  if (authRateLimitPerSecond !== undefined) config.authRateLimitPerSecond = authRateLimitPerSecond
  const authRateLimitBurst = reader?.integer('auth_rate_limit_burst', 1)
  if (authRateLimitBurst !== undefined) config.authRateLimitBurst = authRateLimitBurst
  if (reader !== undefined && tlsMinVersion === '1.3' && tlsMaxVersion === '1.2') {
    throw reader.error('tls_min_version', 'is above tls_max_version')
  }
  if (reader !== undefined && config.tlsProfile !== 'custom') {
    for (const key of ['tls_min_version', 'tls_max_version', 'tls_ciphers', 'tls_groups']) {
      if (reader.has(key)) reader.warn(key, `overrides tls_profile = "${config.tlsProfile}" (as upstream)`)
    }
  }
  reader?.finish()
  return config
}
