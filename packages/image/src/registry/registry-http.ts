import type { Readable } from 'node:stream'
import { registryEndpointHost } from '../reference/docker-reference.ts'
import { OciError } from '../reference/oci-error.ts'
import { parseAuthChallenges, type AuthChallenge } from './auth-challenge.ts'
import { createNodeTransport, type HttpResponse, type HttpTransport } from './http-transport.ts'
import { discard, readLimited, registryErrorText } from './read-body.ts'

export interface RegistryCredentials {
  readonly username: string
  readonly password: string
}

export interface RetryOptions {
  /** Tries per request, the first included (default 4). Streamed bodies are sent once. */
  readonly attempts?: number
  /** First backoff delay; doubled after each failure (default 250 ms). */
  readonly baseDelayMs?: number
  /** Cap on one delay, also on a `Retry-After` (default 10 s). */
  readonly maxDelayMs?: number
}

export interface RegistryConnectionOptions {
  /** Default: node:http/https per `tlsVerify` and `ca`. */
  readonly transport?: HttpTransport
  /**
   * false = skopeo's `--tls-verify=false`: any certificate is accepted and plain HTTP is used
   * when the registry does not speak TLS (e.g. docker-registry on 127.0.0.1). Default true.
   */
  readonly tlsVerify?: boolean
  /** PEM CA certificates to trust for this registry. */
  readonly ca?: string
  /** Sent to a Basic challenge or to the Bearer token endpoint; anonymous otherwise. */
  readonly credentials?: RegistryCredentials
  readonly retry?: RetryOptions
  readonly sleep?: (ms: number) => Promise<void>
  /** Milliseconds since the epoch, for token expiry. */
  readonly now?: () => number
  readonly userAgent?: string
}

export interface RegistryRequest {
  readonly method: string
  /** A path (`/v2/…`) or an absolute URL (upload locations, redirects). */
  readonly path: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: Buffer | Readable
  /** The token scope, e.g. `repository:coco/plain:pull`. */
  readonly scope: string
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504])
const TOKEN_LIMIT = 1024 * 1024

/**
 * Talks HTTP to one registry: scheme detection, anonymous / Basic / Bearer-token auth driven by
 * `WWW-Authenticate` challenges (tokens cached per scope until they expire), and retries with
 * exponential backoff on network errors, 429 and 5xx. 4xx other than 401 are returned as they are.
 */
export class RegistryHttp {
  readonly domain: string
  readonly #host: string
  readonly #transport: HttpTransport
  readonly #tlsVerify: boolean
  readonly #credentials: RegistryCredentials | undefined
  readonly #attempts: number
  readonly #baseDelayMs: number
  readonly #maxDelayMs: number
  readonly #sleep: (ms: number) => Promise<void>
  readonly #now: () => number
  readonly #userAgent: string
  #base: Promise<string> | undefined
  #challenge: AuthChallenge | undefined
  readonly #tokens = new Map<string, { header: string; expiresAt: number }>()

  constructor(domain: string, options: RegistryConnectionOptions = {}) {
    this.domain = domain
    this.#host = registryEndpointHost(domain)
    this.#tlsVerify = options.tlsVerify !== false
    this.#transport =
      options.transport ??
      createNodeTransport({ tlsVerify: this.#tlsVerify, ...(options.ca === undefined ? {} : { ca: options.ca }) })
    this.#credentials = options.credentials
    this.#attempts = Math.max(1, options.retry?.attempts ?? 4)
    this.#baseDelayMs = options.retry?.baseDelayMs ?? 250
    this.#maxDelayMs = options.retry?.maxDelayMs ?? 10_000
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
    this.#now = options.now ?? Date.now
    this.#userAgent = options.userAgent ?? 'carapace-image'
  }

  /** Tries per request (the first included). */
  get attempts(): number {
    return this.#attempts
  }

  /** Waits the backoff delay after the n-th failure. */
  backoff(failure: number): Promise<void> {
    return this.#sleep(this.#delay(failure, undefined))
  }

  /** `https://host` or, without TLS verification and a registry that does not speak TLS, `http://host`. */
  baseUrl(): Promise<string> {
    this.#base ??= this.#detectScheme()
    return this.#base
  }

  /** GET /v2/: reachability and, when the registry demands it, the auth challenge. */
  async ping(): Promise<void> {
    const res = await this.request({ method: 'GET', path: '/v2/', scope: '' })
    if (res.status !== 200) {
      throw new OciError(
        'REGISTRY_ERROR',
        `${this.domain}: GET /v2/ answered ${res.status}: ${await registryErrorText(res.body)}`,
        { status: res.status },
      )
    }
    await discard(res.body)
  }

  /** Sends a request with auth and retries; returns any response but 401 (→ UNAUTHORIZED). */
  async request(req: RegistryRequest): Promise<HttpResponse> {
    const url = new URL(req.path, await this.baseUrl())
    let authRetried = false
    for (;;) {
      const auth = await this.#authorization(req.scope, url)
      const res = await this.#exchange(url, req, auth)
      if (res.status !== 401) return res
      const challenge = parseAuthChallenges(res.headers['www-authenticate']).find(
        (c) => c.scheme === 'bearer' || c.scheme === 'basic',
      )
      const text = await registryErrorText(res.body)
      const replayable = req.body === undefined || Buffer.isBuffer(req.body)
      if (authRetried || challenge === undefined || !replayable) {
        throw new OciError(
          'UNAUTHORIZED',
          `${this.domain}: ${req.method} ${url.pathname} is not authorized${text ? `: ${text}` : ''}`,
          { status: 401 },
        )
      }
      this.#challenge = challenge
      this.#tokens.delete(this.#tokenKey(req.scope, challenge))
      authRetried = true
    }
  }

  async #detectScheme(): Promise<string> {
    const https = `https://${this.#host}`
    if (this.#tlsVerify) return https
    try {
      const res = await this.#transport({
        method: 'GET',
        url: new URL('/v2/', https),
        headers: { 'user-agent': this.#userAgent },
      })
      await discard(res.body)
      return https
    } catch (e) {
      if (e instanceof OciError && e.code === 'NETWORK') return `http://${this.#host}`
      throw e
    }
  }

  /** One request with retries on network errors, 429 and 5xx (bodies that are streams: one try). */
  async #exchange(url: URL, req: RegistryRequest, authorization: string | undefined): Promise<HttpResponse> {
    const attempts = req.body === undefined || Buffer.isBuffer(req.body) ? this.#attempts : 1
    for (let attempt = 1; ; attempt++) {
      const headers: Record<string, string> = { 'user-agent': this.#userAgent, ...req.headers }
      if (authorization !== undefined && url.host === new URL(await this.baseUrl()).host)
        headers.authorization = authorization
      let res: HttpResponse
      try {
        res = await this.#transport({
          method: req.method,
          url,
          headers,
          ...(req.body === undefined ? {} : { body: req.body }),
        })
      } catch (e) {
        if (!(e instanceof OciError) || e.code !== 'NETWORK' || attempt >= attempts) throw e
        await this.#sleep(this.#delay(attempt, undefined))
        continue
      }
      if (!RETRY_STATUSES.has(res.status) || attempt >= attempts) return res
      await discard(res.body)
      await this.#sleep(this.#delay(attempt, res.headers['retry-after']))
    }
  }

  #delay(attempt: number, retryAfter: string | undefined): number {
    const seconds = retryAfter === undefined ? NaN : Number(retryAfter)
    const wanted = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : this.#baseDelayMs * 2 ** (attempt - 1)
    return Math.min(wanted, this.#maxDelayMs)
  }

  #tokenKey(scope: string, challenge: AuthChallenge): string {
    return `${challenge.params.realm ?? ''} ${challenge.params.service ?? ''} ${scope}`
  }

  async #authorization(scope: string, url: URL): Promise<string | undefined> {
    const challenge = this.#challenge
    if (challenge === undefined) return undefined
    if (challenge.scheme === 'basic') {
      if (this.#credentials === undefined) {
        throw new OciError('UNAUTHORIZED', `${this.domain} requires credentials (Basic auth) for ${url.pathname}`, {
          status: 401,
        })
      }
      return basicHeader(this.#credentials)
    }
    const key = this.#tokenKey(scope, challenge)
    const cached = this.#tokens.get(key)
    if (cached !== undefined && cached.expiresAt > this.#now()) return cached.header
    const header = await this.#fetchToken(challenge, scope)
    return header
  }

  async #fetchToken(challenge: AuthChallenge, scope: string): Promise<string> {
    const realm = challenge.params.realm
    if (realm === undefined) throw new OciError('REGISTRY_ERROR', `${this.domain}: Bearer challenge without a realm`)
    let url: URL
    try {
      url = new URL(realm)
    } catch (e) {
      throw new OciError('REGISTRY_ERROR', `${this.domain}: Bearer realm ${JSON.stringify(realm)} is not a URL`, {
        cause: e,
      })
    }
    if (challenge.params.service !== undefined) url.searchParams.set('service', challenge.params.service)
    const wanted = scope !== '' ? scope : challenge.params.scope
    if (wanted !== undefined && wanted !== '') url.searchParams.set('scope', wanted)
    if (this.#credentials !== undefined) url.searchParams.set('account', this.#credentials.username)
    const headers: Record<string, string> =
      this.#credentials === undefined ? {} : { authorization: basicHeader(this.#credentials) }
    const res = await this.#exchange(url, { method: 'GET', path: url.href, scope: '', headers }, undefined)
    if (res.status !== 200) {
      const text = await registryErrorText(res.body)
      throw new OciError(
        res.status === 401 || res.status === 403 ? 'UNAUTHORIZED' : 'REGISTRY_ERROR',
        `${this.domain}: token endpoint answered ${res.status}${text ? `: ${text}` : ''}`,
        { status: res.status },
      )
    }
    let doc: { token?: unknown; access_token?: unknown; expires_in?: unknown }
    try {
      doc = JSON.parse((await readLimited(res.body, TOKEN_LIMIT, 'token response')).toString('utf8')) as typeof doc
    } catch (e) {
      if (e instanceof OciError) throw e
      throw new OciError('REGISTRY_ERROR', `${this.domain}: token response is not JSON`, { cause: e })
    }
    const token = typeof doc.token === 'string' && doc.token !== '' ? doc.token : doc.access_token
    if (typeof token !== 'string' || token === '')
      throw new OciError('REGISTRY_ERROR', `${this.domain}: token response has no token`)
    const lifetime = typeof doc.expires_in === 'number' && doc.expires_in > 0 ? doc.expires_in : 60
    const header = `Bearer ${token}`
    // renew a little early so a token does not expire in flight
    this.#tokens.set(this.#tokenKey(scope, challenge), {
      header,
      expiresAt: this.#now() + Math.max(lifetime - 10, 1) * 1000,
    })
    return header
  }
}

function basicHeader(c: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`
}
