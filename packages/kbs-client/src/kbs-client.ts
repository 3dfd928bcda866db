import type { Attester } from '@carapace/attester'
import { CocoError, decryptResponse, generateTeeKeyPair, isResourcePath, type TeeKeyPair } from '@carapace/protocol'
import { CookieJar } from './cookie-jar.ts'
import { KbsClientError } from './kbs-client-error.ts'
import { kbsApiRoot, readJson, responseError, send, type Fetch } from './kbs-http.ts'
import { rcarHandshake } from './rcar-handshake.ts'
import { isTokenUsable, readTokenTimes } from './token-claims.ts'

/** guest-components `KBS_GET_RESOURCE_MAX_ATTEMPT`. */
export const GET_RESOURCE_MAX_ATTEMPTS = 3

/** Passport mode: a token (and the TEE key it binds) obtained elsewhere, e.g. from the AA. */
export type PassportTokenProvider = () => Promise<{ token: string; teeKey: TeeKeyPair }>

export interface KbsClientOptions {
  /** KBS base URL, e.g. `http://127.0.0.1:8080` (the `/kbs/v0` prefix is added). */
  url: string
  /** Primary attester; required for background-check mode (no `tokenProvider`). */
  attester?: Attester
  /** Device attesters whose evidence goes into `additional_evidence`. */
  deviceAttesters?: readonly Attester[]
  fetch?: Fetch
  /** Milliseconds since the epoch; used for token and cookie expiry. */
  now?: () => number
  /** The TEE key; a fresh EC P-256 pair (guest-components' default) when absent. */
  teeKey?: TeeKeyPair
  /** Init-data TOML text sent as `{"format":"toml","body":…}`. */
  initData?: string
  /** Passport mode: resources are fetched with `Authorization: Bearer` and no RCAR is done. */
  tokenProvider?: PassportTokenProvider
}

export interface KbsClient {
  /** Runs a fresh RCAR handshake and returns (and caches) its token. */
  attest(): Promise<string>
  /** The cached token while it is inside `[nbf, exp)`, else a fresh one. */
  getToken(): Promise<string>
  /** Fetches and decrypts `/kbs/v0/resource/<repo>/<type>/<tag>`. */
  getResource(path: string): Promise<Uint8Array>
  /** The key the KBS encrypts resources to (changes only in passport mode). */
  readonly teeKey: TeeKeyPair
}

export function createKbsClient(options: KbsClientOptions): KbsClient {
  const fetch = options.fetch ?? globalThis.fetch
  const now = options.now ?? Date.now
  const apiRoot = kbsApiRoot(options.url)
  const jar = new CookieJar(now)
  const provider = options.tokenProvider
  const attester = options.attester
  if (provider === undefined && attester === undefined) {
    throw new KbsClientError('INVALID_ARGUMENT', 'createKbsClient needs an attester or a tokenProvider')
  }
  let teeKey = options.teeKey ?? generateTeeKeyPair()
  let token: string | undefined

  async function freshToken(): Promise<string> {
    if (provider !== undefined) {
      const provided = await provider()
      teeKey = provided.teeKey
      token = provided.token
    } else if (attester !== undefined) {
      token = await rcarHandshake({
        fetch,
        apiRoot,
        jar,
        attester,
        deviceAttesters: options.deviceAttesters ?? [],
        teeKey,
        initData: options.initData,
      })
    }
    if (token === undefined) throw new KbsClientError('INVALID_ARGUMENT', 'no way to obtain a token')
    // Refuse a token whose claims cannot be read now rather than on the next cache check.
    readTokenTimes(token)
    return token
  }

  async function getToken(): Promise<string> {
    if (token !== undefined && isTokenUsable(readTokenTimes(token), now())) return token
    return freshToken()
  }

  async function getResource(path: string): Promise<Uint8Array> {
    if (!isResourcePath(path)) {
      throw new KbsClientError('INVALID_ARGUMENT', `resource path ${JSON.stringify(path)} is not repo/type/tag`)
    }
    const url = `${apiRoot}/resource/${path}`
    let lastError: KbsClientError | undefined
    for (let attempt = 1; attempt <= GET_RESOURCE_MAX_ATTEMPTS; attempt += 1) {
      const current = attempt === 1 ? await getToken() : await freshToken()
      const headers: Record<string, string> = {}
      if (provider !== undefined) headers['authorization'] = `Bearer ${current}`
      else {
        const cookie = jar.header()
        if (cookie !== undefined) headers['cookie'] = cookie
      }
      const response = await send(fetch, url, { method: 'GET', headers })
      if (response.status === 401) {
        lastError = await responseError('UNAUTHORIZED', `GET /kbs/v0/resource/${path}`, response)
        continue
      }
      if (response.status === 404)
        throw await responseError('RESOURCE_NOT_FOUND', `GET /kbs/v0/resource/${path}`, response)
      if (!response.ok) throw await responseError('KBS_ERROR', `GET /kbs/v0/resource/${path}`, response)
      jar.storeAll(response.headers)
      const jwe = await readJson(response, `GET /kbs/v0/resource/${path}`)
      try {
        return new Uint8Array(decryptResponse(jwe, teeKey))
      } catch (cause) {
        const detail = cause instanceof CocoError ? cause.message : 'decryption failed'
        throw new KbsClientError('PROTOCOL', `GET /kbs/v0/resource/${path}: ${detail}`, { cause })
      }
    }
    throw new KbsClientError(
      'UNAUTHORIZED',
      `GET /kbs/v0/resource/${path}: still unauthorized after ${String(GET_RESOURCE_MAX_ATTEMPTS)} attempts`,
      { cause: lastError, ...(lastError?.info === undefined ? {} : { info: lastError.info }), status: 401 },
    )
  }

  return {
    attest: freshToken,
    getToken,
    getResource,
    get teeKey() {
      return teeKey
    },
  }
}
