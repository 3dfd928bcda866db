import { randomUUID } from 'node:crypto'
import { CdhError } from './cdh-error.ts'
import type { CdhLogger } from './cdh-logger.ts'
import { cdhResourcePath } from './cdh-resource-path.ts'
import type { ConfidentialDataHub } from './confidential-data-hub.ts'
import { isLoopbackAddress } from './listen-address.ts'
import { withRequestId } from './request-id.ts'
import { decodeRuntimeData } from './runtime-data.ts'

/** A request as the router needs it; `url` is the request target exactly as received. */
export interface CdhRequest {
  readonly method: string
  readonly url: string
  readonly remoteAddress: string | undefined
  /** Names this request in the CDH's log lines and, as `x-request-id`, in the KBS's; default a fresh UUID. */
  readonly requestId?: string
  /** The body, refused past `limit` bytes; only `/aa/aael` reads it. */
  readBody(limit: number): Promise<Uint8Array>
}

export interface CdhResponse {
  readonly status: number
  /** Absent for upstream's plain-text error bodies, which carry no content type. */
  readonly contentType?: string
  readonly body: Uint8Array | string
}

export interface CdhRouterOptions {
  readonly hub: ConfidentialDataHub
  readonly logger: CdhLogger
  /** Serve peers that are not on loopback (api-server-rest always answers them 403). */
  readonly allowNonLoopbackPeers?: boolean
  /** `version` of `/info`. */
  readonly version?: string
}

export const CDH_VERSION = '0.1.0'
const AAEL_BODY_LIMIT = 64 * 1024
// ExtendRuntimeMeasurement answers NOT_ENABLED: this CDH keeps no AA event log.
const AAEL_NOT_ENABLED = '{"success":"false","message": "Attestation Agent does not enable eventlog recording"}'

const text = (status: number, body: string): CdhResponse => ({ status, body })
const FORBIDDEN = text(403, 'Forbidden')
const NOT_FOUND = text(404, 'URL NOT FOUND')
const BAD_REQUEST = text(400, 'BAD REQUEST')
const NOT_ALLOWED = text(405, 'Method Not Allowed')
const octets = (body: Uint8Array): CdhResponse => ({ status: 200, contentType: 'application/octet-stream', body })
const json = (body: string): CdhResponse => ({ status: 200, contentType: 'application/json', body })

/**
 * The api-server-rest routes with upstream's statuses and bodies (`/info`, `/cdh/resource/…`,
 * `/aa/token`, `/aa/evidence`, `/aa/additional-evidence`, `/aa/aael`). Two deliberate
 * differences: a resource path that is not `repo/type/tag` is a 400 before any KBS call
 * (upstream hands it to the CDH and answers its 500), and error texts are ours.
 */
export function createCdhRouter(options: CdhRouterOptions): (request: CdhRequest) => Promise<CdhResponse> {
  const { hub, logger } = options
  const version = options.version ?? CDH_VERSION

  async function route(
    request: CdhRequest,
    path: string,
    params: Map<string, string>,
    requestId: string,
  ): Promise<CdhResponse> {
    const method = request.method
    if (path === '/info') {
      if (method !== 'GET') return NOT_ALLOWED
      const info = {
        version,
        tee: hub.tee,
        ...(hub.additionalTees.length === 0 ? {} : { additional_tees: hub.additionalTees }),
        feature: 'all',
      }
      return json(JSON.stringify(info))
    }
    const [root, rest] = splitAtSecondSlash(path)
    if (root === '/aa' && rest !== undefined) {
      if (method === 'GET' && rest === '/token') {
        const tokenType = params.get('token_type')
        if (tokenType === undefined) return BAD_REQUEST
        return octets(await hub.getToken(tokenType))
      }
      if (method === 'GET' && (rest === '/evidence' || rest === '/additional-evidence')) {
        const runtimeData = params.get('runtime_data')
        if (runtimeData === undefined) return BAD_REQUEST
        let reportData: Uint8Array
        try {
          reportData = decodeRuntimeData(runtimeData, params.get('encoding'))
        } catch {
          return BAD_REQUEST
        }
        return octets(
          await (rest === '/evidence' ? hub.getEvidence(reportData) : hub.getAdditionalEvidence(reportData)),
        )
      }
      if (method === 'POST' && rest === '/aael') {
        let body: Uint8Array
        try {
          body = await request.readBody(AAEL_BODY_LIMIT)
        } catch (error) {
          return text(500, `Illegal AAEL eventry format: ${error instanceof Error ? error.message : String(error)}`)
        }
        const problem = aaelProblem(body)
        return problem === undefined ? json(AAEL_NOT_ENABLED) : text(500, `Illegal AAEL eventry format: ${problem}`)
      }
      return NOT_FOUND
    }
    if (root === '/cdh' && rest !== undefined) {
      const [api, resource] = splitAtSecondSlash(rest)
      if (api !== '/resource' || resource === undefined) return NOT_FOUND
      const resourcePath = cdhResourcePath(resource)
      const bytes = await hub.getResource(resourcePath)
      logger('info', 'resource released to the workload', {
        requestId,
        resource: resourcePath,
        bytes: bytes.byteLength,
      })
      return octets(bytes)
    }
    return NOT_FOUND
  }

  return async (request) => {
    const requestId = request.requestId ?? randomUUID()
    if (options.allowNonLoopbackPeers !== true && !isLoopbackAddress(request.remoteAddress ?? '')) {
      logger('warn', 'refused a request from a non-loopback peer', { requestId, peer: request.remoteAddress ?? null })
      return FORBIDDEN
    }
    const { path, query } = splitTarget(request.url)
    try {
      return await withRequestId(requestId, () => route(request, path, queryParams(query), requestId))
    } catch (error) {
      return errorResponse(error, requestId, request.method, path)
    }
  }

  function errorResponse(error: unknown, requestId: string, method: string, path: string): CdhResponse {
    if (error instanceof CdhError) {
      const fields = {
        requestId,
        method,
        path,
        code: error.code,
        ...(error.kbsStatus === undefined ? {} : { kbsStatus: error.kbsStatus }),
        ...(error.kbsErrorType === undefined ? {} : { kbsErrorType: error.kbsErrorType }),
        detail: error.message,
      }
      if (error.code === 'INVALID_RESOURCE_PATH') {
        logger('warn', 'refused an invalid resource path', fields)
        return text(400, error.message)
      }
      logger(error.code === 'UNSUPPORTED_TOKEN_TYPE' ? 'warn' : 'error', 'request failed', fields)
      return text(500, error.message)
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error)
    logger('error', 'internal error', { requestId, method, path, detail })
    return text(500, 'internal error')
  }
}

/** api-server-rest's `split_nth_slash(path, 2)`: `/aa/token` → [`/aa`, `/token`]; no second `/` → [path]. */
function splitAtSecondSlash(path: string): [string, string | undefined] {
  const first = path.indexOf('/')
  const second = first < 0 ? -1 : path.indexOf('/', first + 1)
  return second < 0 ? [path, undefined] : [path.slice(0, second), path.slice(second)]
}

/** Path and query of a request target, without normalizing the path (so `..` stays visible). */
function splitTarget(target: string): { path: string; query: string } {
  const origin = target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '')
  const withoutFragment = origin.split('#', 1)[0] ?? ''
  const at = withoutFragment.indexOf('?')
  if (at < 0) return { path: withoutFragment === '' ? '/' : withoutFragment, query: '' }
  return { path: withoutFragment.slice(0, at), query: withoutFragment.slice(at + 1) }
}

/** Form-urlencoded query parameters; a repeated name keeps its last value, as upstream's map does. */
function queryParams(query: string): Map<string, string> {
  const params = new Map<string, string>()
  for (const [name, value] of new URLSearchParams(query)) params.set(name, value)
  return params
}

/** Why a body is not an AAEL event `{"domain","operation","content"}` of strings, or undefined. */
function aaelProblem(body: Uint8Array): string | undefined {
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body))
  } catch (error) {
    return error instanceof Error ? error.message : 'not JSON'
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected a JSON object'
  const record = value as Record<string, unknown>
  for (const field of ['domain', 'operation', 'content']) {
    if (typeof record[field] !== 'string') return `field ${JSON.stringify(field)} must be a string`
  }
  return undefined
}
