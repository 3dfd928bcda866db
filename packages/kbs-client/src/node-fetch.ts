import { request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent, request as httpsRequest } from 'node:https'
import type { Fetch } from './kbs-http.ts'

export interface NodeFetchOptions {
  /** PEM certificates to trust for HTTPS (e.g. the KBS's self-signed certificate), instead of the system roots. */
  readonly ca?: string
  /** Abort a request that has not completed after this many milliseconds (default 30 s). */
  readonly timeoutMs?: number
}

/** A response with a status that must not carry a body, per the Fetch standard. */
const NULL_BODY_STATUS = new Set([101, 204, 205, 304])
const DEFAULT_TIMEOUT_MS = 30_000

/**
 * A `fetch` on node:http/node:https, for what Node 20's built-in fetch cannot do without undici
 * as a dependency: trusting a given CA (the KBS's self-signed certificate). Connections are kept
 * alive. Only the parts of RequestInit the KBS clients use are honoured: method, headers, a
 * string or byte body, and signal.
 */
export function createNodeFetch(options: NodeFetchOptions = {}): Fetch {
  const agent = new Agent({ keepAlive: true, ...(options.ca === undefined ? {} : { ca: options.ca }) })
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const nodeFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return Promise.reject(new TypeError(`unsupported URL scheme ${url.protocol}`))
    }
    const body = requestBody(init.body)
    const headers: Record<string, string> = {}
    new Headers(init.headers).forEach((value, key) => {
      headers[key] = value
    })
    if (body !== undefined) headers['content-length'] = String(body.byteLength)
    return new Promise<Response>((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest
      const req = send(
        url,
        {
          method: init.method ?? 'GET',
          headers,
          timeout: timeoutMs,
          ...(url.protocol === 'https:' ? { agent } : {}),
          ...(init.signal ? { signal: init.signal } : {}),
        },
        (res) => {
          collect(res).then((bytes) => {
            resolve(toResponse(res, bytes))
          }, reject)
        },
      )
      req.on('timeout', () => req.destroy(new Error(`no response within ${String(timeoutMs)} ms`)))
      req.on('error', reject)
      req.end(body)
    })
  }
  return nodeFetch
}

function requestBody(body: RequestInit['body']): Uint8Array | undefined {
  if (body === undefined || body === null) return undefined
  if (typeof body === 'string') return Buffer.from(body, 'utf8')
  if (body instanceof Uint8Array) return body
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  throw new TypeError('createNodeFetch supports string and byte bodies only')
}

function collect(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    res.on('data', (chunk: Buffer) => chunks.push(chunk))
    res.on('end', () => {
      resolve(Buffer.concat(chunks))
    })
    res.on('error', reject)
  })
}

function toResponse(res: IncomingMessage, bytes: Buffer): Response {
  const headers = new Headers()
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
    headers.append(res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string)
  }
  const status = res.statusCode ?? 0
  const body = NULL_BODY_STATUS.has(status) ? null : new Uint8Array(bytes)
  return new Response(body, { status, statusText: res.statusMessage ?? '', headers })
}
