import type { ConfigReader, Mutable } from './config-reader.ts'
import type { AdminConfig, AuthorizationMode, IdentityProvider, RegexAcl } from './model.ts'

const MODES = new Map<string, AuthorizationMode>([
  ['InsecureAllowAll', 'InsecureAllowAll'],
  ['DenyAll', 'DenyAll'],
  ['AuthenticatedAuthorization', 'AuthenticatedAuthorization'],
])

// v0.15–v0.17 `[admin] type = …`.
const LEGACY_TYPES = new Map<string, 'Simple' | 'InsecureAllowAll' | 'DenyAll'>([
  ['Simple', 'Simple'],
  ['InsecureAllowAll', 'InsecureAllowAll'],
  ['DenyAll', 'DenyAll'],
])

const LEGACY_KEYS = ['type', 'personas', 'auth_public_key', 'insecure_api', 'admin_backend']

/** What the pre-v0.18 keys mean today: a key that signs admin tokens grants full access. */
export const LEGACY_ADMIN_ROLE = 'admin'
const LEGACY_ADMIN_ACL: RegexAcl = { role: LEGACY_ADMIN_ROLE, allowedEndpoints: '^/kbs/.+$' }

/** The v0.10–v0.14 admin keys (also top-level before v0.10). */
export interface LegacyAdminKeys {
  readonly authPublicKey?: string
  readonly insecureApi?: boolean
}

export function adminFromLegacyKeys(keys: LegacyAdminKeys): AdminConfig {
  if (keys.insecureApi === true) {
    return { authorizationMode: 'InsecureAllowAll', identityProviders: [], acls: [] }
  }
  if (keys.authPublicKey === undefined) {
    return { authorizationMode: 'DenyAll', identityProviders: [], acls: [] }
  }
  return {
    authorizationMode: 'AuthenticatedAuthorization',
    identityProviders: [{ publicKeyUri: keys.authPublicKey, legacyRole: LEGACY_ADMIN_ROLE }],
    acls: [LEGACY_ADMIN_ACL],
  }
}

function parseIdentityProvider(reader: ConfigReader): IdentityProvider {
  const provider: Mutable<IdentityProvider> = {}
  const issuer = reader.nonEmptyString('issuer')
  if (issuer !== undefined) provider.issuer = issuer
  const audience = reader.nonEmptyString('audience')
  if (audience !== undefined) provider.audience = audience
  const publicKeyUri = reader.nonEmptyString('public_key_uri')
  if (publicKeyUri !== undefined) provider.publicKeyUri = publicKeyUri
  const jwkSetUri = reader.nonEmptyString('jwk_set_uri')
  if (jwkSetUri !== undefined) provider.jwkSetUri = jwkSetUri
  reader.finish()
  if (publicKeyUri === undefined && jwkSetUri === undefined) {
    throw reader.error(undefined, 'needs public_key_uri or jwk_set_uri')
  }
  return provider
}

function parseAcl(reader: ConfigReader): RegexAcl {
  const role = reader.string('role')
  const allowedEndpoints = reader.string('allowed_endpoints')
  reader.finish()
  if (role === undefined) throw reader.error('role', 'missing (expected a string)')
  if (allowedEndpoints === undefined) {
    throw reader.error('allowed_endpoints', 'missing (expected a regex string)')
  }
  if (!allowedEndpoints.startsWith('^/kbs') || !allowedEndpoints.endsWith('$')) {
    throw reader.error('allowed_endpoints', `must start with "^/kbs" and end with "$", got "${allowedEndpoints}"`)
  }
  return { role, allowedEndpoints }
}

function parseCurrent(reader: ConfigReader, mode: AuthorizationMode): AdminConfig {
  const authentication = reader.subTable('authentication')
  const bearer = authentication?.subTable('bearer_jwt')
  const identityProviders = bearer?.tableArray('identity_providers')?.map(parseIdentityProvider) ?? []
  bearer?.finish()
  authentication?.finish()
  const authorization = reader.subTable('authorization')
  const regexAcl = authorization?.subTable('regex_acl')
  const acls = regexAcl?.tableArray('acls')?.map(parseAcl) ?? []
  regexAcl?.finish()
  authorization?.finish()
  return { authorizationMode: mode, identityProviders, acls }
}

function parseSimplePersonas(reader: ConfigReader): AdminConfig {
  const personas = reader.tableArray('personas') ?? []
  const identityProviders = personas.map((persona) => {
    persona.string('id')
    const path = persona.string('public_key_path')
    persona.finish()
    if (path === undefined) throw persona.error('public_key_path', 'missing (expected a path)')
    return { publicKeyUri: path, legacyRole: LEGACY_ADMIN_ROLE }
  })
  if (identityProviders.length === 0) {
    return { authorizationMode: 'DenyAll', identityProviders: [], acls: [] }
  }
  return { authorizationMode: 'AuthenticatedAuthorization', identityProviders, acls: [LEGACY_ADMIN_ACL] }
}

/**
 * The short-lived `admin_backend` spelling (an externally tagged enum):
 * `admin_backend = "DenyAll"` or `[[admin.admin_backend.Simple.personas]]`.
 */
function parseAdminBackend(reader: ConfigReader): AdminConfig {
  reader.warn('admin_backend', 'deprecated: use authorization_mode (v0.18+); mapped')
  const value = reader.raw('admin_backend')
  if (typeof value === 'string') {
    const type = reader.choice('admin_backend', LEGACY_TYPES)
    reader.finish()
    if (type === 'Simple' || type === undefined)
      return { authorizationMode: 'DenyAll', identityProviders: [], acls: [] }
    return { authorizationMode: type, identityProviders: [], acls: [] }
  }
  const backend = reader.subTable('admin_backend')
  reader.finish()
  if (backend === undefined) return { authorizationMode: 'DenyAll', identityProviders: [], acls: [] }
  const simple = backend.subTable('Simple')
  const allowAll = backend.subTable('InsecureAllowAll')
  const denyAll = backend.subTable('DenyAll')
  backend.finish()
  const variants = [simple, allowAll, denyAll].filter((variant) => variant !== undefined)
  if (variants.length !== 1) {
    throw backend.error(undefined, 'expected exactly one of Simple, InsecureAllowAll, DenyAll')
  }
  if (simple !== undefined) {
    const config = parseSimplePersonas(simple)
    simple.finish()
    return config
  }
  allowAll?.finish()
  denyAll?.finish()
  return { authorizationMode: allowAll === undefined ? 'DenyAll' : 'InsecureAllowAll', identityProviders: [], acls: [] }
}

/**
 * `[admin]` of every release: v0.18+ `authorization_mode` (+ bearer_jwt/regex_acl), v0.15–v0.17
 * `type = Simple|InsecureAllowAll|DenyAll` (+ `personas`), v0.10–v0.14 `auth_public_key` +
 * `insecure_api`. When `type` and the v0.10 keys are both present (the trustee-operator sample),
 * `type` wins: it is the newer scheme, and it never turns `insecure_api` into allow-all.
 */
export function parseAdmin(reader: ConfigReader | undefined, legacy: LegacyAdminKeys): AdminConfig {
  if (reader === undefined) {
    if (legacy.authPublicKey !== undefined || legacy.insecureApi !== undefined) {
      return adminFromLegacyKeys(legacy)
    }
    return { authorizationMode: 'DenyAll', identityProviders: [], acls: [] }
  }
  const mode = reader.choice('authorization_mode', MODES)
  const hasLegacyKeys = LEGACY_KEYS.some((key) => reader.has(key))
  if (mode !== undefined) {
    if (hasLegacyKeys) {
      const key = LEGACY_KEYS.find((name) => reader.has(name))
      throw reader.error(key, 'is a pre-v0.18 admin key and cannot be combined with authorization_mode')
    }
    const config = parseCurrent(reader, mode)
    reader.finish()
    return config
  }
  if (reader.has('admin_backend')) return parseAdminBackend(reader)
  const type = reader.choice('type', LEGACY_TYPES)
  const personasNote = 'use authorization_mode = "AuthenticatedAuthorization" with bearer_jwt identity providers'
  if (type !== undefined) {
    reader.warn('type', `deprecated: use authorization_mode (v0.18+); mapped from type = "${type}"`)
    const authPublicKey = reader.deprecated('auth_public_key', `ignored because type is set; ${personasNote}`)
    const insecureApi = reader.deprecated('insecure_api', 'ignored because type is set')
    if (authPublicKey !== undefined && typeof authPublicKey !== 'string') reader.string('auth_public_key')
    if (insecureApi !== undefined && typeof insecureApi !== 'boolean') reader.boolean('insecure_api')
    if (type === 'Simple') {
      if (reader.has('personas')) reader.warn('personas', `deprecated: ${personasNote}`)
      const config = parseSimplePersonas(reader)
      reader.finish()
      return config
    }
    reader.finish()
    return { authorizationMode: type, identityProviders: [], acls: [] }
  }
  if (reader.has('auth_public_key')) reader.warn('auth_public_key', `deprecated: ${personasNote}`)
  if (reader.has('insecure_api')) {
    reader.warn('insecure_api', 'deprecated: use authorization_mode = "InsecureAllowAll"')
  }
  const authPublicKey = reader.nonEmptyString('auth_public_key') ?? legacy.authPublicKey
  const insecureApi = reader.boolean('insecure_api') ?? legacy.insecureApi
  reader.finish()
  const keys: Mutable<LegacyAdminKeys> = {}
  if (authPublicKey !== undefined) keys.authPublicKey = authPublicKey
  if (insecureApi !== undefined) keys.insecureApi = insecureApi
  return adminFromLegacyKeys(keys)
}
