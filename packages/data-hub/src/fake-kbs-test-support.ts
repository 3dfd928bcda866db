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
  type InitData,
  type KbsErrorVariant,
  type WireTeePubKey,
} from '@carapace/protocol'

export interface FakeKbsOptions {
  readonly now?: () => number
  readonly tokenTtlSeconds?: number
  readonly resources?: Record<string, string>
}

/**
 * A small KBS behind a `fetch`, for the CDH's tests: RCAR with the sample TEE (nonce and
 * report-data binding checked), unsigned tokens carrying `exp` and the `tee-pubkey`, and
 * resources released to a session cookie or a Bearer token, JWE-encrypted to its key.
 */
export class FakeKbs {
  readonly resources: Map<string, Uint8Array>
  /** Every request as `METHOD /path`. */
  readonly seen: string[] = []
  /** The `x-request-id` of each request in `seen` (null when absent). */
  readonly seenRequestIds: (string | null)[] = []
  /** Statuses forced on the next resource GETs (401 or 404). */
  readonly forcedResourceStatuses: number[] = []
  /** Init-data of each successful attestation. */
  readonly initData: (InitData | null)[] = []
  /** While set, `/attest` waits for it (to overlap concurrent requests). */
  holdAttest: Promise<void> | undefined
  /** While set, `/attest` is refused with this detail (as a policy denial would be). */
  refuseAttestation: string | undefined
  attestCount = 0
  readonly #now: () => number
  readonly #ttl: number
  readonly #challenges = new Map<string, Challenge>()
  readonly #tokens = new Map<string, WireTeePubKey>()

  constructor(options: FakeKbsOptions = {}) {
    this.#now = options.now ?? Date.now
    this.#ttl = options.tokenTtlSeconds ?? 300
    this.resources = new Map(Object.entries(options.resources ?? {}).map(([k, v]) => [k, Buffer.from(v, 'utf8')]))
  }

  /** Every token issued so far becomes unknown (as after a KBS key rotation). */
  forgetTokens(): void {
    this.#tokens.clear()
  }

  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)
    const method = init?.method ?? 'GET'
    const headers = new Headers(init?.headers)
    const body = init?.body === undefined || init.body === null ? '' : await new Response(init.body).text()
    this.seen.push(`${method} ${url.pathname}`)
    this.seenRequestIds.push(headers.get('x-request-id'))
    try {
      if (method === 'POST' && url.pathname === '/kbs/v0/auth') return this.#auth(body)
      if (method === 'POST' && url.pathname === '/kbs/v0/attest') return await this.#attest(headers, body)
      if (method === 'GET' && url.pathname.startsWith('/kbs/v0/resource/')) {
        return this.#resource(headers, url.pathname.slice('/kbs/v0/resource/'.length))
      }
      return kbsError(404, 'InvalidRequestPath', `no route ${method} ${url.pathname}`)
    } catch (error) {
      return kbsError(401, 'AttestationError', error instanceof Error ? error.message : String(error))
    }
  }

  #auth(body: string): Response {
    const request = parseRequest(JSON.parse(body))
    if (request.tee !== 'sample') throw new Error(`unexpected tee ${request.tee}`)
    const id = randomBytes(8).toString('hex')
    this.#challenges.set(id, { nonce: newNonce(randomBytes), extraParams: '' })
    const challenge = this.#challenges.get(id) as Challenge
    return Response.json(
      { nonce: challenge.nonce, 'extra-params': challenge.extraParams },
      { headers: { 'set-cookie': `kbs-session-id=${id}` } },
    )
  }

  async #attest(headers: Headers, body: string): Promise<Response> {
    await this.holdAttest
    if (this.refuseAttestation !== undefined) return kbsError(401, 'PolicyDeny', this.refuseAttestation)
    const id = /kbs-session-id=([^;]+)/.exec(headers.get('cookie') ?? '')?.[1]
    const challenge = id === undefined ? undefined : this.#challenges.get(id)
    if (challenge === undefined) return kbsError(401, 'AttestationError', 'no session')
    const attestation = parseAttestation(JSON.parse(body))
    if (attestation.runtimeData.nonce !== challenge.nonce) throw new Error('nonce mismatch')
    const { teePubKey } = attestation.runtimeData
    const binding = runtimeDataBinding(
      { nonce: challenge.nonce, teePubKey, additionalEvidence: attestation.teeEvidence.additionalEvidence },
      selectedHashAlgorithm(challenge),
    )
    const evidence = attestation.teeEvidence.primaryEvidence
    const expected = JSON.stringify({ svn: '1', report_data: Buffer.from(binding).toString('base64') })
    if (JSON.stringify(evidence) !== expected) throw new Error('evidence does not bind the runtime data')
    this.attestCount += 1
    this.initData.push(attestation.initData)
    const exp = Math.floor(this.#now() / 1000) + this.#ttl
    const token = [part({ alg: 'none' }), part({ exp, n: this.attestCount, 'tee-pubkey': teePubKey }), 'c2ln'].join('.')
    this.#tokens.set(token, teePubKey)
    return Response.json({ token })
  }

  #resource(headers: Headers, path: string): Response {
    const forced = this.forcedResourceStatuses.shift()
    if (forced === 404) return kbsError(404, 'PluginInternalError', 'forced: not found')
    if (forced !== undefined) return kbsError(401, 'TokenVerifierError', 'forced: token refused')
    const bearer = /^Bearer (\S+)$/.exec(headers.get('authorization') ?? '')?.[1]
    const teePubKey = bearer === undefined ? undefined : this.#tokens.get(bearer)
    if (teePubKey === undefined) return kbsError(401, 'TokenNotFound', 'no valid token')
    const bytes = this.resources.get(path)
    if (bytes === undefined) return kbsError(404, 'PluginInternalError', `resource ${path} not found`)
    return Response.json(encryptResponse(bytes, teePubKey))
  }
}

function part(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

function kbsError(status: number, variant: KbsErrorVariant, detail: string): Response {
  return new Response(JSON.stringify(kbsErrorInformation(variant, detail)), { status })
}
