import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { Readable } from 'node:stream'
import { OciError } from '../reference/oci-error.ts'

export interface HttpRequest {
  readonly method: string
  readonly url: URL
  readonly headers?: Readonly<Record<string, string>>
  /** A Buffer is sent with a Content-Length; a stream is sent chunked unless a content-length header is given. */
  readonly body?: Buffer | Readable
}

export interface HttpResponse {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  /** Must be consumed or destroyed by the caller. */
  readonly body: Readable
}

/** One HTTP exchange; the registry client's only way out. Injected in tests. */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>

export interface NodeTransportOptions {
  /** PEM CA certificates to trust instead of the system roots. */
  readonly ca?: string
  /** false = accept any TLS certificate (skopeo `--tls-verify=false`). Default true. */
  readonly tlsVerify?: boolean
  /** Idle-socket timeout in milliseconds (default 60 s). */
  readonly timeoutMs?: number
}

/**
 * HTTP over node:http/node:https with keep-alive agents. Response bodies are streamed, never
 * collected; a failure to connect or a socket timeout becomes OciError NETWORK.
 */
export function createNodeTransport(options: NodeTransportOptions = {}): HttpTransport {
  const timeoutMs = options.timeoutMs ?? 60_000
  const httpAgent = new HttpAgent({ keepAlive: true })
  const httpsAgent = new HttpsAgent({
    keepAlive: true,
    rejectUnauthorized: options.tlsVerify !== false,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  })
  return (req) =>
    new Promise<HttpResponse>((resolve, reject) => {
      const https = req.url.protocol === 'https:'
      if (!https && req.url.protocol !== 'http:') {
        reject(new OciError('INVALID_ARGUMENT', `unsupported URL scheme ${req.url.protocol}`))
        return
      }
      const headers: Record<string, string> = { ...req.headers }
      if (Buffer.isBuffer(req.body)) headers['content-length'] = String(req.body.length)
      else if (req.body === undefined && req.method !== 'GET' && req.method !== 'HEAD') headers['content-length'] = '0'
      const send = https ? httpsRequest : httpRequest
      const request = send(req.url, { method: req.method, headers, agent: https ? httpsAgent : httpAgent }, (res) => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res })
      })
      request.setTimeout(timeoutMs, () => {
        request.destroy(new Error(`no activity for ${timeoutMs} ms`))
      })
      request.on('error', (e) => {
        reject(
          new OciError('NETWORK', `${req.method} ${req.url.origin}${req.url.pathname}: ${e.message}`, { cause: e }),
        )
      })
      if (req.body === undefined || Buffer.isBuffer(req.body)) {
        request.end(req.body)
      } else {
        req.body.on('error', (e) => request.destroy(e))
        req.body.pipe(request)
      }
    })
}
