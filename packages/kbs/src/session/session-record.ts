import { challengeToWire, parseChallenge, parseRequest, requestToWire } from '@carapace/protocol'
import type { Challenge, Request } from '@carapace/protocol'
import { KbsError } from '../http/errors.ts'

export const SESSION_NAMESPACE = 'kbs_protocol_session'

export type SessionRecord =
  | {
      readonly state: 'Authed'
      readonly id: string
      readonly request: Request
      readonly challenge: Challenge
      readonly timeout: Date
    }
  | { readonly state: 'Attested'; readonly id: string; readonly token: string; readonly timeout: Date }

/** Upstream's serde form: `{"Authed":{request,challenge,id,timeout}}` / `{"Attested":{token,id,timeout}}`. */
export function encodeSession(session: SessionRecord): Uint8Array {
  const timeout = session.timeout.toISOString()
  const wire =
    session.state === 'Authed'
      ? {
          Authed: {
            request: requestToWire(session.request),
            challenge: challengeToWire(session.challenge),
            id: session.id,
            timeout,
          },
        }
      : { Attested: { token: session.token, id: session.id, timeout } }
  return Buffer.from(JSON.stringify(wire), 'utf8')
}

export function decodeSession(bytes: Uint8Array): SessionRecord {
  try {
    const wire = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, Record<string, unknown> | undefined>
    const authed = wire['Authed']
    if (authed !== undefined) {
      return {
        state: 'Authed',
        id: String(authed['id']),
        request: parseRequest(authed['request']),
        challenge: parseChallenge(authed['challenge']),
        timeout: parseTimeout(authed['timeout']),
      }
    }
    const attested = wire['Attested']
    if (attested !== undefined && typeof attested['token'] === 'string') {
      return {
        state: 'Attested',
        id: String(attested['id']),
        token: attested['token'],
        timeout: parseTimeout(attested['timeout']),
      }
    }
  } catch (cause) {
    throw new KbsError('RCAR_ATTEST_FAILED', 'stored session is corrupt', { cause })
  }
  throw new KbsError('RCAR_ATTEST_FAILED', 'stored session is corrupt')
}

function parseTimeout(value: unknown): Date {
  const date = new Date(typeof value === 'string' ? value : Number.NaN)
  if (Number.isNaN(date.getTime())) throw new KbsError('RCAR_ATTEST_FAILED', 'stored session has no valid timeout')
  return date
}
