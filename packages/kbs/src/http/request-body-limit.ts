import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { KbsError } from './errors.ts'

/**
 * The request body limit. Hono's `bodyLimit` reads `c.req.raw.body`, which makes
 * `@hono/node-server` build a full web `Request` with a body stream for every request (GETs
 * included) and gives up its direct read of the body from the socket: about a tenth of the
 * KBS's CPU per handshake. The same checks without that: GET and HEAD carry no body (Hono's
 * `Request` has none for them either); a `Content-Length` without `Transfer-Encoding` is checked
 * as a number, and Node's HTTP parser never delivers more bytes than it announces; anything
 * else (chunked bodies) goes through Hono's counting middleware.
 */
export function requestBodyLimit(maxBytes: number): MiddlewareHandler {
  const tooLarge = (): never => {
    throw new KbsError('PAYLOAD_TOO_LARGE', `request body exceeds ${String(maxBytes)} bytes`)
  }
  const counting = bodyLimit({ maxSize: maxBytes, onError: tooLarge })
  return async (c, next) => {
    const method = c.req.method
    if (method === 'GET' || method === 'HEAD') return next()
    const length = c.req.header('content-length')
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (parseInt(length, 10) > maxBytes) tooLarge()
      return next()
    }
    return counting(c, next)
  }
}
