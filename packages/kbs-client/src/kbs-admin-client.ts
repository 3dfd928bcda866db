import { isResourcePath, kbsErrorVariant, type JsonValue } from '@carapace/protocol'
import { KbsClientError, type KbsClientErrorCode } from './kbs-client-error.ts'
import { kbsApiRoot, readErrorInformation, readJson, send, type Fetch } from './kbs-http.ts'

export interface KbsAdminClientOptions {
  url: string
  /** Admin JWT sent as `Authorization: Bearer`; anonymous when absent (InsecureAllowAll KBS). */
  token?: string
  fetch?: Fetch
}

/** The KBS admin API, as Trustee's `kbs-client config …` drives it. */
export interface KbsAdminClient {
  setResource(path: string, bytes: Uint8Array): Promise<void>
  deleteResource(path: string): Promise<void>
  setResourcePolicy(rego: string): Promise<void>
  /** Trustee answers the list of policy IDs, not the policy text. */
  getResourcePolicy(): Promise<unknown>
  setAttestationPolicy(rego: string, policyId?: string): Promise<void>
  /** An RVPS `Message`: `{"version":"0.1.0","type":…,"payload":…}`. */
  setReferenceValue(message: JsonValue): Promise<void>
  getReferenceValue(id: string): Promise<unknown>
  /** Carapace extension (`GET /kbs/v0/reference-value`): every unexpired value by id; an upstream KBS lacks it. */
  listReferenceValues(): Promise<Record<string, unknown>>
}

export function createKbsAdminClient(options: KbsAdminClientOptions): KbsAdminClient {
  const fetch = options.fetch ?? globalThis.fetch
  const apiRoot = kbsApiRoot(options.url)

  async function call(method: string, path: string, body?: { type: string; data: string | Uint8Array }) {
    const headers: Record<string, string> = {}
    if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`
    if (body !== undefined) headers['content-type'] = body.type
    const what = `${method} /kbs/v0/${path}`
    const response = await send(fetch, `${apiRoot}/${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: body.data }),
    })
    if (!response.ok) throw await adminError(what, response)
    return { response, what }
  }

  async function postJson(path: string, value: JsonValue): Promise<void> {
    const { response } = await call('POST', path, { type: 'application/json', data: JSON.stringify(value) })
    await response.arrayBuffer()
  }

  async function getJson(path: string): Promise<unknown> {
    const { response, what } = await call('GET', path)
    return readJson(response, what)
  }

  return {
    async setResource(path, bytes) {
      const { response } = await call('POST', `resource/${checkedPath(path)}`, {
        type: 'application/octet-stream',
        data: bytes,
      })
      await response.arrayBuffer()
    },
    async deleteResource(path) {
      const { response } = await call('DELETE', `resource/${checkedPath(path)}`)
      await response.arrayBuffer()
    },
    setResourcePolicy: (rego) => postJson('resource-policy', { policy: base64UrlNoPad(rego) }),
    getResourcePolicy: () => getJson('resource-policy'),
    setAttestationPolicy: (rego, policyId = 'default_cpu') =>
      postJson('attestation-policy', { type: 'rego', policy_id: policyId, policy: base64UrlNoPad(rego) }),
    setReferenceValue: (message) => postJson('reference-value', message),
    getReferenceValue: (id) => getJson(`reference-value/${id}`),
    async listReferenceValues() {
      const listed = await getJson('reference-value')
      if (typeof listed !== 'object' || listed === null || Array.isArray(listed)) {
        throw new KbsClientError('PROTOCOL', 'GET /kbs/v0/reference-value: KBS answered JSON that is not an object')
      }
      return listed as Record<string, unknown>
    },
  }
}

function base64UrlNoPad(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url')
}

function checkedPath(path: string): string {
  if (!isResourcePath(path)) {
    throw new KbsClientError('INVALID_ARGUMENT', `resource path ${JSON.stringify(path)} is not repo/type/tag`)
  }
  return path
}

async function adminError(what: string, response: Response): Promise<KbsClientError> {
  const info = await readErrorInformation(response)
  const variant = info === undefined ? undefined : kbsErrorVariant(info)
  let code: KbsClientErrorCode = 'KBS_ERROR'
  if (response.status === 404) code = 'RESOURCE_NOT_FOUND'
  else if (variant === 'AdminAuthAccess' || variant === 'AdminAuthInitialization') code = 'UNAUTHORIZED'
  const detail = info === undefined ? '' : `: ${info.detail} (${info.type})`
  return new KbsClientError(code, `${what}: KBS answered ${String(response.status)}${detail}`, {
    status: response.status,
    ...(info === undefined ? {} : { info }),
  })
}
