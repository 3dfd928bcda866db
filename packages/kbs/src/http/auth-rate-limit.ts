import { kbsErrorInformation } from '@carapace/protocol'
import type { Context, MiddlewareHandler } from 'hono'
import type { KbsEnv } from './app.ts'
import type { KbsLogger } from './kbs-logger.ts'
import { createTokenBucketLimiter } from './token-bucket-limiter.ts'

export interface AuthRateLimit {
  /** `[http_server] auth_rate_limit_per_second`. */
  readonly perSecond: number
  /** `[http_server] auth_rate_limit_burst` (default: `perSecond`). */
  readonly burst?: number
  /** Most client addresses tracked at once (default 10 000). */
  readonly maxClients?: number
}

/** The peer address of the connection (never a forwarded header: any client can write those). */
export function peerAddress(c: Context<KbsEnv>): string {
  const env: unknown = c.env
  const bindings = (env as { server?: unknown } | undefined)?.server ?? env
  const address = (bindings as { incoming?: { socket?: { remoteAddress?: unknown } } } | undefined)?.incoming?.socket
    ?.remoteAddress
  if (typeof address !== 'string') return 'unknown'
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address
}

/**
 * Limits `POST /kbs/v0/auth` per client address with a token bucket held in this replica's
 * memory: `/auth` needs no credential and each call stores a session, so it is the cheap way to
 * fill the session store. Over the limit: 429, `retry-after`, and an error body of the KBS shape.
 */
export function authRateLimit(
  limit: AuthRateLimit,
  deps: { readonly nowMs: () => number; readonly logger: KbsLogger },
): MiddlewareHandler<KbsEnv> {
  const limiter = createTokenBucketLimiter({
    perSecond: limit.perSecond,
    burst: limit.burst ?? limit.perSecond,
    nowMs: deps.nowMs,
    ...(limit.maxClients === undefined ? {} : { maxClients: limit.maxClients }),
  })
  return async (c, next) => {
    const client = peerAddress(c)
    const taken = limiter.take(client)
    if (taken.allowed) {
      await next()
      return
    }
    const detail = `too many /auth requests from ${client}: retry in ${String(taken.retryAfterSeconds)} s (http_server.auth_rate_limit_per_second)`
    deps.logger.log('warn', 'auth rate limit exceeded', {
      requestId: c.get('requestId'),
      client,
      retryAfterSeconds: taken.retryAfterSeconds,
    })
    c.header('retry-after', String(taken.retryAfterSeconds))
    return c.json(kbsErrorInformation('HTTPFailed', detail), 429)
  }
}
