import { createPublicKey, type KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose'
import type { AdminConfig, IdentityProvider } from '../config/index.ts'
import { KbsError } from '../http/errors.ts'

/** What admin authorization needs from a request: no framework types. */
export interface AdminRequest {
  /** Path plus query, as actix's `request.uri()`: the ACL regexes match against it. */
  readonly pathAndQuery: string
  readonly authorization: string | undefined
}

/** Throws KbsError('ADMIN_AUTH_ACCESS') when the request may not use the admin API. */
export interface AdminAuthorizer {
  authorize(request: AdminRequest): Promise<void>
}

export interface AdminAuthorizerDeps {
  /** Reads a `public_key_uri` (a path or `file://` URL); defaults to the file system. */
  readonly readPublicKey?: (uri: string) => Promise<string>
  readonly now?: () => Date
}

interface LoadedProvider {
  readonly provider: IdentityProvider
  readonly key: KeyObject
}

/** §1.8: InsecureAllowAll, DenyAll, or bearer JWT + regex ACL. Bad keys or ACLs fail at startup. */
export async function createAdminAuthorizer(
  config: AdminConfig,
  deps: AdminAuthorizerDeps = {},
): Promise<AdminAuthorizer> {
  if (config.authorizationMode === 'InsecureAllowAll') return { authorize: () => Promise.resolve() }
  if (config.authorizationMode === 'DenyAll') {
    return { authorize: () => Promise.reject(new KbsError('ADMIN_AUTH_ACCESS', 'Admin access is denied (DenyAll)')) }
  }
  const readPublicKey = deps.readPublicKey ?? readPublicKeyFile
  const providers: LoadedProvider[] = []
  for (const provider of config.identityProviders) {
    if (provider.publicKeyUri === undefined) {
      // jwk_set_uri needs network fetching with caching; not supported yet.
      throw new KbsError(
        'ADMIN_AUTH_INITIALIZATION',
        'admin identity providers with only jwk_set_uri are not supported',
      )
    }
    try {
      providers.push({ provider, key: createPublicKey(await readPublicKey(provider.publicKeyUri)) })
    } catch (cause) {
      throw new KbsError('ADMIN_AUTH_INITIALIZATION', `cannot load admin public key ${provider.publicKeyUri}`, {
        cause,
      })
    }
  }
  const acls = config.acls.map((acl) => {
    if (!acl.allowedEndpoints.startsWith('^/kbs') || !acl.allowedEndpoints.endsWith('$')) {
      throw new KbsError(
        'ADMIN_AUTH_INITIALIZATION',
        `ACL regex ${acl.allowedEndpoints} must start with ^/kbs and end with $`,
      )
    }
    try {
      return { role: acl.role, pattern: new RegExp(acl.allowedEndpoints, 'u') }
    } catch (cause) {
      throw new KbsError('ADMIN_AUTH_INITIALIZATION', `invalid ACL regex ${acl.allowedEndpoints}`, { cause })
    }
  })
  const now = deps.now ?? (() => new Date())
  return {
    async authorize(request) {
      const token = bearerToken(request.authorization)
      if (token === undefined) throw new KbsError('ADMIN_AUTH_ACCESS', 'Admin auth error: no Bearer token')
      const role = await roleOf(token, providers, now())
      const allowed = acls.some((acl) => acl.role === role && acl.pattern.test(request.pathAndQuery))
      if (!allowed)
        throw new KbsError('ADMIN_AUTH_ACCESS', `Admin auth error: role ${role} may not access this endpoint`)
    },
  }
}

async function roleOf(token: string, providers: readonly LoadedProvider[], now: Date): Promise<string> {
  let lastReason = 'no identity provider configured'
  for (const { provider, key } of providers) {
    let payload: JWTPayload
    try {
      ;({ payload } = await jwtVerify(token, key, {
        requiredClaims: ['exp'],
        currentDate: now,
        ...(provider.issuer === undefined ? {} : { issuer: provider.issuer }),
        ...(provider.audience === undefined ? {} : { audience: provider.audience }),
      }))
    } catch (cause) {
      lastReason = cause instanceof joseErrors.JOSEError ? cause.code : 'invalid token'
      continue
    }
    const role = payload['role']
    if (typeof role === 'string') return role
    if (role === undefined && provider.legacyRole !== undefined) return provider.legacyRole
    lastReason = 'token has no role claim'
  }
  throw new KbsError('ADMIN_AUTH_ACCESS', `Admin auth error: ${lastReason}`)
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header)
  return match?.[1]
}

async function readPublicKeyFile(uri: string): Promise<string> {
  return readFile(uri.startsWith('file://') ? fileURLToPath(uri) : uri, 'utf8')
}
