import { X509Certificate } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer, type ServerOptions as HttpsServerOptions } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { SecureVersion } from 'node:tls'
import { getRequestListener } from '@hono/node-server'
import type { HttpServerConfig } from '../config/index.ts'
import type { KbsLogger } from '../http/kbs-logger.ts'
import { buildKbs } from './build-kbs.ts'
import { ensureTlsCertificate } from './key-material.ts'
import type { KbsServerOptions, RunningKbs } from './kbs-server-options.ts'
import { ipAddressBytes } from './ip-address-bytes.ts'
import { parseListenAddress, urlOf, type ListenAddress } from './listen-address.ts'
import { KbsServerError } from './server-error.ts'

interface Tls {
  readonly keyPem: string
  readonly certPem: string
  readonly certPath: string
  readonly fingerprint: string
}

async function loadTls(http: HttpServerConfig, now: Date, logger: KbsLogger, names: readonly string[]): Promise<Tls> {
  const keyPath = http.privateKey
  const certPath = http.certificate
  if (keyPath === undefined || certPath === undefined) {
    throw new KbsServerError(
      'KEY_MATERIAL',
      'http_server.private_key and http_server.certificate are required for HTTPS (or set http_server.insecure_http = true)',
    )
  }
  if (http.generateCertificateIfMissing === true) {
    const ipAddresses = names.filter((name) => ipAddressBytes(name) !== undefined)
    const dnsNames = names.filter((name) => ipAddressBytes(name) === undefined)
    const material = await ensureTlsCertificate({ keyPath, certPath, now, dnsNames, ipAddresses })
    if (material.generated) logger.log('info', 'generated a self-signed TLS certificate', { certPath })
    if (new Date(material.certificate.validTo).getTime() < now.getTime() + 30 * 86_400_000) {
      logger.log('warn', 'the TLS certificate expires within 30 days; remove both files to generate a new one', {
        certPath,
        validTo: material.certificate.validTo,
      })
    }
    return {
      keyPem: material.keyPem,
      certPem: material.certPem,
      certPath,
      fingerprint: material.certificate.fingerprint256,
    }
  }
  const read = async (path: string, key: string): Promise<string> => {
    try {
      return await readFile(path, 'utf8')
    } catch (cause) {
      throw new KbsServerError('KEY_MATERIAL', `${key}: cannot read ${path}`, { cause })
    }
  }
  const [keyPem, certPem] = await Promise.all([
    read(keyPath, 'http_server.private_key'),
    read(certPath, 'http_server.certificate'),
  ])
  let fingerprint: string
  try {
    fingerprint = new X509Certificate(certPem).fingerprint256
  } catch (cause) {
    throw new KbsServerError('KEY_MATERIAL', `http_server.certificate: ${certPath} is not a PEM certificate`, { cause })
  }
  return { keyPem, certPem, certPath, fingerprint }
}

/** Names a generated certificate carries: loopback, the specific hosts listened on, and any asked for. */
function certificateNames(addresses: readonly ListenAddress[], options: KbsServerOptions): string[] {
  const names = new Set(['localhost', '127.0.0.1', '::1'])
  for (const { host } of addresses) if (host !== '0.0.0.0' && host !== '::') names.add(host)
  for (const name of options.tlsSubjectAltNames ?? []) names.add(name)
  return [...names]
}

/** The upstream TLS profiles mapped onto Node's knobs (ciphers are OpenSSL's defaults unless set). */
function tlsOptions(http: HttpServerConfig, tls: Tls): HttpsServerOptions {
  const version = (v: '1.2' | '1.3' | undefined): SecureVersion | undefined =>
    v === undefined ? undefined : v === '1.2' ? 'TLSv1.2' : 'TLSv1.3'
  const profileMin: SecureVersion =
    http.tlsProfile === 'modern' ? 'TLSv1.3' : http.tlsProfile === 'old' ? 'TLSv1' : 'TLSv1.2'
  const minVersion = version(http.tlsMinVersion) ?? profileMin
  const maxVersion = version(http.tlsMaxVersion)
  return {
    key: tls.keyPem,
    cert: tls.certPem,
    minVersion,
    ...(maxVersion === undefined ? {} : { maxVersion }),
    ...(http.tlsCiphers === undefined ? {} : { ciphers: http.tlsCiphers }),
    ...(http.tlsGroups === undefined ? {} : { ecdhCurve: http.tlsGroups }),
  }
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(
        new KbsServerError('LISTEN', `cannot listen on ${host}:${String(port)}: ${error.message}`, { cause: error }),
      )
    }
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve(server.address() as AddressInfo)
    })
  })
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    // In-flight requests get a moment to finish; then the rest are cut. Not unref'd: close() must
    // settle even when a stuck connection is all that is left in the process.
    const cut = setTimeout(() => {
      server.closeAllConnections()
    }, 2_000)
    server.close(() => {
      clearTimeout(cut)
      resolve()
    })
    server.closeIdleConnections()
  })
}

/**
 * `carapace kbs serve`: the trust plane on its sockets, HTTPS unless `insecure_http = true`.
 * Resolves once every socket listens; `close()` stops accepting, drains, and closes storage.
 */
export async function startKbsServer(options: KbsServerOptions = {}): Promise<RunningKbs> {
  const built = await buildKbs(options)
  const { config, logger } = built
  const http = config.httpServer
  const servers: Server[] = []
  try {
    const sockets = options.listen === undefined ? http.sockets : [options.listen]
    const addresses = sockets.map((socket) =>
      parseListenAddress(socket, options.listen === undefined ? 'http_server.sockets' : '--listen'),
    )
    const tls = http.insecureHttp
      ? undefined
      : await loadTls(http, (options.now ?? (() => new Date()))(), logger, certificateNames(addresses, options))
    if (tls === undefined) {
      logger.log(
        'warn',
        'INSECURE: serving plain HTTP (http_server.insecure_http = true); tokens and admin credentials travel in clear',
        {},
      )
    }
    if (http.workerCount !== undefined) {
      logger.log('warn', 'http_server.worker_count is not used: one Node process serves every socket', {
        workerCount: http.workerCount,
      })
    }
    const handle = getRequestListener(built.app.fetch)
    const listener = (request: IncomingMessage, response: ServerResponse): void => {
      void handle(request, response)
    }
    const urls: string[] = []
    for (const { host, port } of addresses) {
      const server = tls === undefined ? createHttpServer(listener) : createHttpsServer(tlsOptions(http, tls), listener)
      servers.push(server)
      const bound = await listen(server, host, port)
      urls.push(urlOf(tls === undefined ? 'http' : 'https', host, bound.port))
    }
    const url = urls[0]
    if (url === undefined) throw new KbsServerError('INVALID_ARGUMENT', 'http_server.sockets: no socket to listen on')
    logger.log('info', 'KBS listening', { urls: urls.join(' '), tls: tls === undefined ? 'off' : 'on' })
    let closed: Promise<void> | undefined
    return {
      url,
      urls,
      ...(tls === undefined
        ? {}
        : { certificatePem: tls.certPem, certificatePath: tls.certPath, fingerprintSha256: tls.fingerprint }),
      ...(built.adminPrivateKeyPath === undefined ? {} : { adminPrivateKeyPath: built.adminPrivateKeyPath }),
      ...(built.storageDir === undefined ? {} : { storageDir: built.storageDir }),
      close: () =>
        (closed ??= (async () => {
          await Promise.all(servers.map(closeServer))
          await built.close()
          logger.log('info', 'KBS stopped', {})
        })()),
    }
  } catch (error) {
    await Promise.all(servers.filter((s) => s.listening).map(closeServer))
    await built.close()
    throw error
  }
}
