import { KbsClientError } from './kbs-client-error.ts'

export interface TokenTimes {
  /** Seconds since the epoch, when the token says. */
  exp: number | undefined
  nbf: number | undefined
}

/**
 * Reads `exp`/`nbf` from a JWT payload without checking the signature: the guest has no trust
 * anchor for the AS key, so (like guest-components) it only uses the claims to decide when to
 * attest again. The KBS does the real verification.
 */
export function readTokenTimes(token: string): TokenTimes {
  const parts = token.split('.')
  const payloadPart = parts[1]
  if (parts.length !== 3 || payloadPart === undefined || !/^[A-Za-z0-9_-]*$/.test(payloadPart)) {
    throw new KbsClientError('PROTOCOL', 'attestation token is not a compact JWT')
  }
  let payload: unknown
  try {
    payload = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'))
  } catch (cause) {
    throw new KbsClientError('PROTOCOL', 'attestation token payload is not JSON', { cause })
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new KbsClientError('PROTOCOL', 'attestation token payload is not a JSON object')
  }
  const claims = payload as Record<string, unknown>
  return { exp: numericClaim(claims, 'exp'), nbf: numericClaim(claims, 'nbf') }
}

function numericClaim(claims: Record<string, unknown>, name: string): number | undefined {
  const value = claims[name]
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new KbsClientError('PROTOCOL', `attestation token claim ${name} is not a number`)
  }
  return value
}

/** Usable now: inside `[nbf, exp)`. A token without `exp` is never reused. */
export function isTokenUsable(times: TokenTimes, nowMs: number): boolean {
  const nowSeconds = nowMs / 1000
  if (times.exp === undefined || nowSeconds >= times.exp) return false
  return times.nbf === undefined || nowSeconds >= times.nbf
}
