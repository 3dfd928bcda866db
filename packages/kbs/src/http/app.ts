import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Storage } from '@carapace/storage'
import { Hono, type Context } from 'hono'
import { getCookie } from 'hono/cookie'
import type { AdminAuthorizer } from '../admin/admin-authorizer.ts'
import {
  listReferenceValues,
  queryReferenceValue,
  registerReferenceValue,
  setAttestationPolicy,
  type AttestationAdmin,
} from '../admin/attestation-admin.ts'
import { formatRuleExplanation, PolicyDenyError } from '../policy/policy-deny-error.ts'
import { listResourcePolicies, setResourcePolicy } from '../policy/resource-policy.ts'
import { releaseResource } from '../resource/release-resource.ts'
import { deleteResource, resourcePathOf, writeResource } from '../resource/resource-store.ts'
import type { AttestationEvaluator } from '../session/attestation-evaluator.ts'
import {
  DEFAULT_SESSION_TIMEOUT_MIN,
  attestSession,
  attestedSessionToken,
  startSession,
  type RcarSessionDeps,
} from '../session/rcar-sessions.ts'
import type { TokenVerifier } from '../token/token-verifier.ts'
import { summarizeAttestationExplanation } from './attestation-summary.ts'
import { authRateLimit, type AuthRateLimit } from './auth-rate-limit.ts'
import { KbsError, kbsErrorResponse } from './errors.ts'
import { silentLogger, type KbsLogger } from './kbs-logger.ts'
import { createMetricsRegistry, type MetricsRegistry } from './metrics.ts'
import { parseJsonBody, pathSegments } from './request-body.ts'
import { requestBodyLimit } from './request-body-limit.ts'

export const KBS_PREFIX = '/kbs/v0'
export const SESSION_COOKIE = 'kbs-session-id'
export const DEFAULT_PAYLOAD_REQUEST_SIZE_MIB = 2
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

export interface KbsAppDeps {
  readonly storage: Storage
  readonly admin: AdminAuthorizer
  readonly tokenVerifier: TokenVerifier
  /** Without an attestation service, /auth, /attest, /attestation-policy and /reference-value are unknown plugins (404). */
  readonly attestation?: AttestationEvaluator
  readonly attestationAdmin?: AttestationAdmin
  readonly sessionTimeoutMinutes?: number
  readonly payloadRequestSizeMiB?: number
  readonly extraTeeKeyPaths?: readonly string[]
  readonly random?: (size: number) => Uint8Array
  readonly now?: () => Date
  readonly logger?: KbsLogger
  readonly metrics?: MetricsRegistry
  /** Per-client-address limit on `POST /auth` (`[http_server] auth_rate_limit_*`); none when absent. */
  readonly authRateLimit?: AuthRateLimit
}

export interface KbsEnv {
  Variables: { requestId: string }
}

/**
 * The KBS HTTP edge: the whole route table is below. Handlers only translate between HTTP and
 * the plain functions of session/, admin/, resource/ and policy/.
 */
export type KbsApp = Hono<KbsEnv>

export function createKbsApp(deps: KbsAppDeps): KbsApp {
  const random = deps.random ?? ((size: number) => new Uint8Array(randomBytes(size)))
  const now = deps.now ?? (() => new Date())
  const logger = deps.logger ?? silentLogger
  const metrics = deps.metrics ?? createMetricsRegistry()
  const maxBytes = (deps.payloadRequestSizeMiB ?? DEFAULT_PAYLOAD_REQUEST_SIZE_MIB) * 1024 * 1024
  const attestation = deps.attestation
  const sessions: RcarSessionDeps | undefined =
    attestation === undefined
      ? undefined
      : {
          storage: deps.storage,
          attestation,
          random,
          now,
          timeoutMinutes: deps.sessionTimeoutMinutes ?? DEFAULT_SESSION_TIMEOUT_MIN,
        }
  const app = new Hono<KbsEnv>()

  app.use(async (c, next) => {
    const offered = c.req.header('x-request-id')
    const requestId = offered !== undefined && REQUEST_ID.test(offered) ? offered : randomUUID()
    c.set('requestId', requestId)
    // Set before the handler runs: set on a finished response, Hono copies the whole Response.
    c.header('x-request-id', requestId)
    await next()
    metrics.increment(
      'kbs_http_requests_total',
      { method: c.req.method, status: String(c.res.status) },
      'HTTP requests served',
    )
    logger.log(c.res.status < 400 ? 'info' : 'warn', 'request', {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
    })
  })
  if (deps.authRateLimit !== undefined) {
    app.on('POST', `${KBS_PREFIX}/auth`, authRateLimit(deps.authRateLimit, { nowMs: () => now().getTime(), logger }))
  }
  app.use(`${KBS_PREFIX}/*`, requestBodyLimit(maxBytes))
  app.onError((error, c) => {
    const { status, body } = kbsErrorResponse(error)
    const fields: Record<string, string> = { requestId: c.get('requestId'), type: body.type, detail: body.detail }
    if (error instanceof PolicyDenyError) {
      fields['policyDigest'] = error.policyDigest
      fields['explanation'] =
        error.explanation === undefined ? 'the policy could not be explained' : formatRuleExplanation(error.explanation)
    }
    logger.log('warn', 'request failed', fields)
    // An oversized body is refused before it is read: the connection cannot carry another request.
    if (status === 413) c.header('connection', 'close')
    return c.body(JSON.stringify(body), status)
  })

  const adminCheck = async (c: Context<KbsEnv>): Promise<void> => {
    const url = new URL(c.req.url)
    await deps.admin.authorize({
      pathAndQuery: url.pathname + url.search,
      authorization: c.req.header('authorization'),
    })
  }
  // Plugin admin calls (resource POST/DELETE) report admin failures as AdminAuthInitialization.
  const pluginAdminCheck = async (c: Context<KbsEnv>): Promise<void> => {
    try {
      await adminCheck(c)
    } catch (error) {
      if (error instanceof KbsError && error.code === 'ADMIN_AUTH_ACCESS') {
        throw new KbsError('ADMIN_AUTH_INITIALIZATION', error.message, { cause: error })
      }
      throw error
    }
  }
  const requireSessions = (): RcarSessionDeps => {
    if (sessions === undefined) throw new KbsError('PLUGIN_NOT_FOUND', 'Plugin not found: no attestation service')
    return sessions
  }
  const requireAttestationAdmin = (): AttestationAdmin => {
    if (deps.attestationAdmin === undefined) {
      throw new KbsError('PLUGIN_NOT_FOUND', 'Plugin not found: no attestation service')
    }
    return deps.attestationAdmin
  }
  const resourceSegments = (c: Context<KbsEnv>): string[] => {
    const segments = pathSegments(c.req.path, `${KBS_PREFIX}/resource/`)
    if (segments === undefined) {
      throw new KbsError(
        'PLUGIN_INTERNAL',
        'Plugin resource internal error: the resource path is not valid percent-encoding',
      )
    }
    return segments
  }
  const sessionCookie = (id: string, expires: Date): string =>
    `${SESSION_COOKIE}=${id}; Expires=${expires.toUTCString()}`

  app.get('/healthz', (c) => c.body(null, 200))
  app.get('/metrics', (c) => c.text(metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4' }))
  app.all('/metrics', (c) => c.body(null, 405))

  app.post(`${KBS_PREFIX}/auth`, async (c) => {
    const rcar = requireSessions()
    const body = parseJsonBody(await c.req.arrayBuffer(), 'RCAR_AUTH_FAILED', 'RCAR handshake Auth failed')
    const { id, expires, challenge } = await startSession(rcar, body)
    c.header('set-cookie', sessionCookie(id, expires))
    return c.json({ nonce: challenge.nonce, 'extra-params': challenge.extraParams })
  })
  app.post(`${KBS_PREFIX}/attest`, async (c) => {
    const rcar = requireSessions()
    const body = parseJsonBody(await c.req.arrayBuffer(), 'RCAR_ATTEST_FAILED', 'RCAR handshake Attest failed')
    const { id, expires, token, explanation } = await attestSession(
      rcar,
      getCookie(c, SESSION_COOKIE),
      body,
      c.get('requestId'),
    )
    const summary = summarizeAttestationExplanation(explanation)
    if (summary !== undefined) {
      logger.log('info', 'attestation appraised', { requestId: c.get('requestId'), session: sessionLogId(id), summary })
    }
    c.header('set-cookie', sessionCookie(id, expires))
    return c.json({ token })
  })

  app.get(`${KBS_PREFIX}/resource/*`, async (c) => {
    const fromSession =
      sessions === undefined ? undefined : await attestedSessionToken(sessions, getCookie(c, SESSION_COOKIE))
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1]
    const jwe = await releaseResource(
      {
        storage: deps.storage,
        tokenVerifier: deps.tokenVerifier,
        ...(deps.extraTeeKeyPaths === undefined ? {} : { extraTeeKeyPaths: deps.extraTeeKeyPaths }),
        random,
      },
      { segments: resourceSegments(c), query: c.req.query(), token: fromSession ?? bearer },
    )
    return c.json(jwe)
  })
  app.post(`${KBS_PREFIX}/resource/*`, async (c) => {
    await pluginAdminCheck(c)
    const path = resourcePathOf(resourceSegments(c))
    await writeResource(deps.storage, path, new Uint8Array(await c.req.arrayBuffer()))
    return c.body(null, 200, { 'content-type': 'text/xml' })
  })
  app.delete(`${KBS_PREFIX}/resource/*`, async (c) => {
    await pluginAdminCheck(c)
    await deleteResource(deps.storage, resourcePathOf(resourceSegments(c)))
    return c.body(null, 200, { 'content-type': 'text/xml' })
  })

  app.get(`${KBS_PREFIX}/resource-policy`, async (c) => {
    await adminCheck(c)
    return c.json(await listResourcePolicies(deps.storage))
  })
  app.post(`${KBS_PREFIX}/resource-policy`, async (c) => {
    await adminCheck(c)
    const body = parseJsonBody(await c.req.arrayBuffer(), 'PARSE_POLICY', 'resource policy')
    await setResourcePolicy(deps.storage, body)
    return c.body(null, 200)
  })

  app.post(`${KBS_PREFIX}/attestation-policy`, async (c) => {
    const admin = requireAttestationAdmin()
    await adminCheck(c)
    const body = parseJsonBody(await c.req.arrayBuffer(), 'ATTESTATION_POLICY', 'Set Attestation Policy failed')
    await setAttestationPolicy(admin, body)
    return c.body(null, 200)
  })
  app.post(`${KBS_PREFIX}/reference-value`, async (c) => {
    const admin = requireAttestationAdmin()
    await adminCheck(c)
    const body = parseJsonBody(await c.req.arrayBuffer(), 'RVPS_ERROR', 'RVPS error')
    await registerReferenceValue(admin, body)
    return c.body(null, 200)
  })
  // Carapace extension: upstream has no listing route (it would look up the empty id).
  app.get(`${KBS_PREFIX}/reference-value`, async (c) => {
    const admin = requireAttestationAdmin()
    await adminCheck(c)
    return c.json(await listReferenceValues(admin))
  })
  app.get(`${KBS_PREFIX}/reference-value/*`, async (c) => {
    const admin = requireAttestationAdmin()
    await adminCheck(c)
    const id = (pathSegments(c.req.path, `${KBS_PREFIX}/reference-value/`) ?? []).join('/')
    return c.json(await queryReferenceValue(admin, id))
  })

  app.all(`${KBS_PREFIX}/*`, (c) => {
    const plugin = c.req.path.slice(KBS_PREFIX.length + 1).split('/')[0] ?? ''
    throw new KbsError('PLUGIN_NOT_FOUND', `Plugin ${plugin} not found`)
  })
  return app
}

/**
 * The session cookie is a bearer credential for the attested session, so logs carry a digest of
 * it: enough to correlate the lines of one session, useless for replaying it.
 */
export function sessionLogId(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 16)
}
