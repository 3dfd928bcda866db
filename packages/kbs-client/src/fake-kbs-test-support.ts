import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import {
  encryptResponse,
  kbsErrorInformation,
  newNonce,
  parseAttestation,
  parseRequest,
  runtimeDataBinding,
  selectedHashAlgorithm,
  type Challenge,
  type JsonValue,
  type KbsErrorVariant,
  type WireTeePubKey,
} from '@carapace/protocol'

/** One request the fake KBS saw. */
export interface SeenRequest {
  method: string
  path: string
  headers: Headers
  body: string
}

interface Session {
  challenge: Challenge
  teePubKey: WireTeePubKey | undefined
}

export interface FakeKbsOptions {
  now: () => number
  /** `extra-params` of the challenge; `""` like Trustee for non-SE TEEs. */
  extraParams?: JsonValue
  tokenTtlSeconds?: number
  /** Init-data TOML the fake expects in `/attest` (`null`: none). */
  expectedInitData?: string | null
  resources?: Record<string, Uint8Array>
}

/**
 * A tiny in-memory KBS behind a `fetch` function, for tests. It checks what Trustee checks on
 * the client's bytes: protocol version, the session cookie, the challenge nonce, the runtime-data
 * binding of the sample evidence (svn "1", report_data = hash(JCS(runtime data)), and device
 * evidence when sent), and the init-data. Tokens are unsigned JWT look-alikes carrying `exp` and
 * the `tee-pubkey`. A failed check is a 401 `AttestationError` whose detail is the assertion message.
 */
export class FakeKbs {
  readonly seen: SeenRequest[] = []
  readonly resources: Map<string, Uint8Array>
  /** Statuses forced on the next resource GETs (e.g. `[401, 401]`). */
  readonly forcedResourceStatuses: number[] = []
  /** When set, every response to this path is replaced by this raw body and status. */
  readonly overrides = new Map<string, { status: number; body: string }>()
  attestCount = 0
  readonly #options: FakeKbsOptions
  readonly #sessions = new Map<string, Session>()
  readonly #tokens = new Map<string, WireTeePubKey>()

  constructor(options: FakeKbsOptions) {
    this.#options = options
    this.resources = new Map(Object.entries(options.resources ?? {}))
  }

  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)
    const method = init?.method ?? 'GET'
    const headers = new Headers(init?.headers)
    const body = init?.body === undefined || init.body === null ? '' : await new Response(init.body).text()
    this.seen.push({ method, path: url.pathname, headers, body })
    const override = this.overrides.get(url.pathname)
    if (override !== undefined) return new Response(override.body, { status: override.status })
    try {
      return this.#route(method, url, headers, body)
    } catch (error) {
      // A failed check is answered as Trustee answers a refused RCAR, with the reason as detail.
      return kbsError(401, 'AttestationError', error instanceof Error ? error.message : String(error))
    }
  }

  #route(method: string, url: URL, headers: Headers, body: string): Response {
    if (method === 'POST' && url.pathname === '/kbs/v0/auth') return this.#auth(body)
    if (method === 'POST' && url.pathname === '/kbs/v0/attest') return this.#attest(headers, body)
    if (method === 'GET' && url.pathname.startsWith('/kbs/v0/resource/')) {
      return this.#resource(headers, url.pathname.slice('/kbs/v0/resource/'.length))
    }
    return kbsError(404, 'InvalidRequestPath', `no route ${method} ${url.pathname}`)
  }

  #auth(body: string): Response {
    const request = parseRequest(JSON.parse(body))
    assert.equal(request.tee, 'sample')
    assert.deepEqual(request.extraParams, { 'supported-hash-algorithms': ['sha256', 'sha384', 'sha512', 'sm3'] })
    const id = randomBytes(8).toString('hex')
    const challenge = { nonce: newNonce(randomBytes), extraParams: this.#options.extraParams ?? '' }
    this.#sessions.set(id, { challenge, teePubKey: undefined })
    const expires = new Date(this.#options.now() + 300_000).toUTCString()
    return Response.json(
      { nonce: challenge.nonce, 'extra-params': challenge.extraParams },
      { headers: { 'set-cookie': `kbs-session-id=${id}; Expires=${expires}` } },
    )
  }

  #attest(headers: Headers, body: string): Response {
    const session = this.#session(headers)
    if (session === undefined) return kbsError(401, 'AttestationError', 'no session')
    const attestation = parseAttestation(JSON.parse(body))
    assert.equal(attestation.runtimeData.nonce, session.challenge.nonce, 'runtime-data.nonce is the challenge nonce')
    const hash = selectedHashAlgorithm(session.challenge)
    const { teePubKey } = attestation.runtimeData
    const additionalEvidence = attestation.teeEvidence.additionalEvidence
    const reportData = runtimeDataBinding({ nonce: session.challenge.nonce, teePubKey, additionalEvidence }, hash)
    assert.deepEqual(attestation.teeEvidence.primaryEvidence, {
      svn: '1',
      report_data: Buffer.from(reportData).toString('base64'),
    })
    if (additionalEvidence !== '') {
      const deviceData = runtimeDataBinding({ nonce: session.challenge.nonce, teePubKey }, hash)
      assert.deepEqual(JSON.parse(additionalEvidence), {
        sampledevice: { svn: '2', report_data: Buffer.from(deviceData).toString('base64') },
      })
    }
    const expectedInitData = this.#options.expectedInitData ?? null
    assert.deepEqual(
      attestation.initData,
      expectedInitData === null ? null : { format: 'toml', body: expectedInitData },
    )
    session.teePubKey = teePubKey
    this.attestCount += 1
    const exp = Math.floor(this.#options.now() / 1000) + (this.#options.tokenTtlSeconds ?? 300)
    const token = [part({ alg: 'none' }), part({ exp, n: this.attestCount, 'tee-pubkey': teePubKey }), 'c2ln'].join('.')
    this.#tokens.set(token, teePubKey)
    return Response.json({ token })
  }

  /** Issues a passport token directly, as an AS would, bound to `teePubKey`. */
  issueToken(teePubKey: WireTeePubKey, exp: number): string {
    const token = [part({ alg: 'none' }), part({ exp, 'tee-pubkey': teePubKey }), 'c2ln'].join('.')
    this.#tokens.set(token, teePubKey)
    return token
  }

  #resource(headers: Headers, path: string): Response {
    const forced = this.forcedResourceStatuses.shift()
    if (forced !== undefined) return kbsError(forced === 404 ? 404 : 401, 'TokenVerifierError', 'forced failure')
    const authorization = headers.get('authorization')
    let teePubKey: WireTeePubKey | undefined
    if (authorization !== null) {
      assert.equal(headers.get('cookie'), null, 'passport mode sends no cookie')
      teePubKey = this.#tokens.get(authorization.replace(/^Bearer /, ''))
    } else {
      teePubKey = this.#session(headers)?.teePubKey
    }
    if (teePubKey === undefined) return kbsError(401, 'TokenNotFound', 'no attested session or token')
    const bytes = this.resources.get(path)
    if (bytes === undefined) return kbsError(404, 'PluginInternalError', `resource ${path} not found`)
    return Response.json(encryptResponse(bytes, teePubKey))
  }

  #session(headers: Headers): Session | undefined {
    const match = /(?:^|;\s*)kbs-session-id=([^;]+)/.exec(headers.get('cookie') ?? '')
    return match?.[1] === undefined ? undefined : this.#sessions.get(match[1])
  }
}

function part(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

export function kbsError(status: number, variant: KbsErrorVariant, detail: string): Response {
  return new Response(JSON.stringify(kbsErrorInformation(variant, detail)), { status })
}
