import { verify, type KeyObject } from 'node:crypto'
import { KbsError } from '../http/errors.ts'

export interface Es256JwtCheck {
  /** Seconds of clock skew allowed on `exp` and `nbf`. */
  readonly leewaySeconds: number
  readonly now: Date
}

/**
 * Verifies a compact ES256 JWT on a P-256 public key with node:crypto and returns its claims.
 * jose's `jwtVerify` does the same through WebCrypto, one thread-pool job per signature (about
 * 200 µs here against 75 µs for a synchronous `verify`); this path keeps jose's checks for the
 * tokens the KBS sees: header `alg` pinned to ES256, no `crit`, `b64` not false, signature over
 * the exact signing input, payload a JSON object, `exp` required, `exp`/`nbf`/`iat` numbers,
 * `exp` and `nbf` checked with the leeway. Rejections carry jose's error codes in the message.
 */
export function verifyEs256Jwt(token: string, key: KeyObject, check: Es256JwtCheck): Record<string, unknown> {
  const parts = token.split('.')
  if (parts.length !== 3) reject('ERR_JWS_INVALID')
  const [headerB64, payloadB64, signatureB64] = parts as [string, string, string]
  const header = decodeJsonObject(headerB64, 'ERR_JWS_INVALID')
  if (header['alg'] !== 'ES256') reject('ERR_JOSE_ALG_NOT_ALLOWED')
  if (header['crit'] !== undefined) reject('ERR_JOSE_NOT_SUPPORTED')
  if (header['b64'] !== undefined && header['b64'] !== true) reject('ERR_JWT_INVALID')
  const signature = decodeBase64Url(signatureB64, 'ERR_JWS_INVALID')
  // A P-256 signature in JOSE form is r || s, 32 bytes each.
  if (signature.length !== 64) reject('ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
  const signingInput = Buffer.from(`${headerB64}.${payloadB64}`, 'ascii')
  let valid: boolean
  try {
    valid = verify('sha256', signingInput, { key, dsaEncoding: 'ieee-p1363' }, signature)
  } catch {
    valid = false
  }
  if (!valid) reject('ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
  const claims = decodeJsonObject(payloadB64, 'ERR_JWT_INVALID')
  checkTimes(claims, check)
  return claims
}

function checkTimes(claims: Record<string, unknown>, check: Es256JwtCheck): void {
  const now = Math.floor(check.now.getTime() / 1000)
  const exp = claims['exp']
  if (exp === undefined) reject('ERR_JWT_CLAIM_VALIDATION_FAILED', 'missing required "exp" claim')
  for (const name of ['exp', 'nbf', 'iat']) {
    const value = claims[name]
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      reject('ERR_JWT_CLAIM_VALIDATION_FAILED', `"${name}" claim must be a number`)
    }
  }
  if ((exp as number) <= now - check.leewaySeconds) reject('ERR_JWT_EXPIRED')
  const nbf = claims['nbf']
  if (typeof nbf === 'number' && nbf > now + check.leewaySeconds) {
    reject('ERR_JWT_CLAIM_VALIDATION_FAILED', '"nbf" claim timestamp check failed')
  }
}

function decodeBase64Url(text: string, code: string): Buffer {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) reject(code)
  return Buffer.from(text, 'base64url')
}

function decodeJsonObject(text: string, code: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(decodeBase64Url(text, code).toString('utf8'))
  } catch (cause) {
    if (cause instanceof KbsError) throw cause
    reject(code)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) reject(code)
  return value as Record<string, unknown>
}

function reject(code: string, detail?: string): never {
  throw new KbsError(
    'TOKEN_VERIFIER',
    `attestation token rejected: ${code}${detail === undefined ? '' : ` (${detail})`}`,
  )
}
