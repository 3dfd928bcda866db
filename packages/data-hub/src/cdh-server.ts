import { createSampleAttester, type Attester } from '@carapace/attester'
import { createNodeFetch, type Fetch } from '@carapace/kbs-client'
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CdhError } from './cdh-error.ts'
import { createStderrCdhLogger, type CdhLogger } from './cdh-logger.ts'
import { createCdhRouter, type CdhRequest } from './cdh-routes.ts'
import { createConfidentialDataHub } from './confidential-data-hub.ts'
import { DEFAULT_CDH_LISTEN, httpUrl, isLoopbackAddress, parseListenAddress } from './listen-address.ts'

export interface CdhServerOptions {
  /** KBS base URL, `http(s)://host[:port]`. */
  readonly kbsUrl: string
  /** Trust this CA/certificate (PEM) for the KBS, e.g. its self-signed one; else the system roots. */
  readonly kbsCertPem?: string
  /** `HOST:PORT`; default `127.0.0.1:8006`; `127.0.0.1:0` picks a free port. */
  readonly listen?: string
  /**
   * Listen on a non-loopback address and serve non-loopback peers. This API hands secrets to
   * anyone who can connect, so it is refused unless set.
   */
  readonly insecureAllowNonLoopback?: boolean
  /** Default: the sample attester (no TEE detection in this build), with a warning. */
  readonly attester?: Attester
  readonly deviceAttesters?: readonly Attester[]
  /** Init-data TOML sent and bound at attestation. */
  readonly initData?: string
  /** Used for every KBS request; overrides `kbsCertPem`. */
  readonly fetch?: Fetch
  readonly logger?: CdhLogger
  /** Milliseconds since the epoch, for token expiry. */
  readonly now?: () => number
}

export interface RunningCdh {
  /** e.g. `http://127.0.0.1:8006` (the actual port when 0 was asked). */
  readonly url: string
  close(): Promise<void>
}

/** Starts the Confidential Data Hub REST API (api-server-rest) in front of one KBS. */
export async function startCdhServer(options: CdhServerOptions): Promise<RunningCdh> {
  const logger = options.logger ?? createStderrCdhLogger()
  const kbsUrl = checkKbsUrl(options.kbsUrl)
  const listen = parseListenAddress(options.listen ?? DEFAULT_CDH_LISTEN)
  const allowRemote = options.insecureAllowNonLoopback === true
  if (!isLoopbackAddress(listen.host)) {
    if (!allowRemote) {
      throw new CdhError(
        'NON_LOOPBACK_LISTEN',
        `refusing to listen on ${listen.host}: the CDH hands out secrets to whoever connects; listen on loopback or opt in explicitly`,
      )
    }
    logger('warn', 'INSECURE: serving the CDH API to non-loopback peers', { listen: listen.host })
  }
  let attester = options.attester
  if (attester === undefined) {
    logger('warn', 'no TEE attester given; using the sample attester (no hardware evidence)')
    attester = createSampleAttester()
  }
  const hub = createConfidentialDataHub({
    kbsUrl,
    attester,
    fetch: options.fetch ?? createNodeFetch(options.kbsCertPem === undefined ? {} : { ca: options.kbsCertPem }),
    ...(options.deviceAttesters === undefined ? {} : { deviceAttesters: options.deviceAttesters }),
    ...(options.initData === undefined ? {} : { initData: options.initData }),
    ...(options.now === undefined ? {} : { now: options.now }),
  })
  const router = createCdhRouter({ hub, logger, allowNonLoopbackPeers: allowRemote })

  const server = createServer((req, res) => {
    const requestId = randomUUID()
    router(toCdhRequest(req, requestId)).then(
      (response) => {
        const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body
        const headers: Record<string, string> = { 'content-length': String(body.byteLength), 'x-request-id': requestId }
        if (response.contentType !== undefined) headers['content-type'] = response.contentType
        req.resume()
        res.writeHead(response.status, headers).end(body)
      },
      (error: unknown) => {
        logger('error', 'internal error', { detail: error instanceof Error ? error.message : String(error) })
        failed(res)
      },
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const url = httpUrl(address.address, address.port)
  logger('info', 'CDH API listening', { url, kbs: kbsUrl, tee: attester.tee })
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error === undefined) resolve()
          else reject(error)
        })
        server.closeAllConnections()
      }),
  }
}

function checkKbsUrl(text: string): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new CdhError('INVALID_OPTION', `KBS URL ${JSON.stringify(text)} is not a URL`)
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '') {
    throw new CdhError('INVALID_OPTION', `KBS URL ${JSON.stringify(text)} must be http(s)://host[:port][/path]`)
  }
  return text
}

function toCdhRequest(req: IncomingMessage, requestId: string): CdhRequest {
  return {
    requestId,
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    remoteAddress: req.socket.remoteAddress,
    readBody: (limit) => readLimited(req, limit),
  }
}

function readLimited(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength
      if (size > limit) {
        req.removeAllListeners('data')
        req.resume()
        reject(new Error(`request body larger than ${String(limit)} bytes`))
      } else chunks.push(chunk)
    })
    req.on('end', () => {
      resolve(new Uint8Array(Buffer.concat(chunks)))
    })
    req.on('error', reject)
  })
}

function failed(res: ServerResponse): void {
  if (res.headersSent) res.destroy()
  else res.writeHead(500, { 'content-length': '14' }).end('internal error')
}
