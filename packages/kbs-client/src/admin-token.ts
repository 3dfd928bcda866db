import { createPrivateKey, sign, type KeyObject } from 'node:crypto'
import { KbsClientError } from './kbs-client-error.ts'

export interface AdminTokenOptions {
  /** The `role` claim Trustee's regex ACLs match; `admin` by default. */
  role?: string
  iss?: string
  /** Audience list; `["kbs"]` by default, as upstream's reference token. */
  aud?: readonly string[]
  ttlSeconds: number
  /** Milliseconds since the epoch. */
  now?: () => number
}

/**
 * Mints an admin bearer token like Trustee's reference one (kbs docs, trustee-cli): header
 * `{"alg":…,"typ":"JWT"}`, payload `{iss?, role, aud, iat, exp}`. The algorithm follows the key:
 * Ed25519 → EdDSA (the upstream choice), EC P-256 → ES256, RSA → RS256.
 */
export function mintAdminToken(privateKeyPem: string, options: AdminTokenOptions): string {
  let key: KeyObject
  try {
    key = createPrivateKey(privateKeyPem)
  } catch (cause) {
    throw new KbsClientError('INVALID_ARGUMENT', 'admin private key is not a PEM private key', { cause })
  }
  if (!Number.isInteger(options.ttlSeconds) || options.ttlSeconds <= 0) {
    throw new KbsClientError('INVALID_ARGUMENT', 'ttlSeconds must be a positive integer')
  }
  const alg = algorithmFor(key)
  const iat = Math.floor((options.now ?? Date.now)() / 1000)
  const payload: Record<string, unknown> = {}
  if (options.iss !== undefined) payload['iss'] = options.iss
  payload['role'] = options.role ?? 'admin'
  payload['aud'] = [...(options.aud ?? ['kbs'])]
  payload['iat'] = iat
  payload['exp'] = iat + options.ttlSeconds
  const signingInput = `${encodePart({ alg, typ: 'JWT' })}.${encodePart(payload)}`
  const data = Buffer.from(signingInput, 'ascii')
  const signature =
    alg === 'EdDSA'
      ? sign(null, data, key)
      : alg === 'ES256'
        ? sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' })
        : sign('sha256', data, key)
  return `${signingInput}.${signature.toString('base64url')}`
}

function algorithmFor(key: KeyObject): 'EdDSA' | 'ES256' | 'RS256' {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA'
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256'
  if (key.asymmetricKeyType === 'rsa') return 'RS256'
  throw new KbsClientError('INVALID_ARGUMENT', 'admin key must be Ed25519, EC P-256 or RSA')
}

function encodePart(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url')
}
