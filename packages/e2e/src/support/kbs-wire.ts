import { createNodeFetch, type Fetch } from '@carapace/kbs-client'

/** One HTTP exchange with the KBS as the test saw it on the wire. */
export interface WireResponse {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  readonly json: unknown
  /** `name=value` of the `kbs-session-id` cookie the response set, if any. */
  readonly sessionCookie: string | undefined
  readonly requestId: string | undefined
}

export interface WireRequest {
  readonly method?: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string | Uint8Array
}

/**
 * Raw requests to a running KBS over real HTTPS, for the denial paths a well-behaved client
 * never takes (wrong nonce, tampered evidence, foreign versions, bad admin tokens).
 */
export interface KbsWire {
  readonly fetch: Fetch
  request(path: string, init?: WireRequest): Promise<WireResponse>
  postJson(path: string, body: unknown, headers?: Readonly<Record<string, string>>): Promise<WireResponse>
}

export function createKbsWire(baseUrl: string, caPem: string | undefined): KbsWire {
  const fetch = createNodeFetch(caPem === undefined ? {} : { ca: caPem })
  const base = baseUrl.replace(/\/+$/, '')
  const request = async (path: string, init: WireRequest = {}): Promise<WireResponse> => {
    const response = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: { ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
    })
    const text = await response.text()
    let json: unknown
    try {
      json = text === '' ? undefined : JSON.parse(text)
    } catch {
      json = undefined
    }
    return {
      status: response.status,
      headers: response.headers,
      text,
      json,
      sessionCookie: sessionCookieOf(response.headers),
      requestId: response.headers.get('x-request-id') ?? undefined,
    }
  }
  return {
    fetch,
    request,
    postJson: (path, body, headers = {}) =>
      request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
  }
}

function sessionCookieOf(headers: Headers): string | undefined {
  for (const line of headers.getSetCookie()) {
    const pair = line.split(';')[0]?.trim()
    if (pair?.startsWith('kbs-session-id=')) return pair
  }
  return undefined
}

/** The upstream KBS error body: `{"type": ".../errors/<Variant>", "detail": …}`. */
export function upstreamErrorType(variant: string): string {
  return `https://github.com/confidential-containers/kbs/errors/${variant}`
}
