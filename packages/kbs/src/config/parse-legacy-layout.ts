import type { ConfigReader, Mutable } from './config-reader.ts'
import type { AttestationServiceConfig, ResourcePluginConfig } from './model.ts'
import type { LegacyAdminKeys } from './parse-admin.ts'
import { DEFAULT_AS_ADDR, DEFAULT_POOL_SIZE, parseBuiltinService } from './parse-attestation-service.ts'
import { readSockets, type HttpServerInput } from './parse-http-server.ts'
import { parseLegacyRepository } from './parse-plugins.ts'

/** What the pre-v0.10 flat layout (everything at the top level) contributes. */
export interface LegacyLayout {
  readonly httpServer: HttpServerInput
  readonly admin: LegacyAdminKeys
  readonly attestationToken?: ConfigReader
  readonly attestationService?: AttestationServiceConfig
  readonly attestationServiceKey?: string
  readonly repository?: ResourcePluginConfig
  readonly resourcePolicyPath?: string
}

function warnMoved(root: ConfigReader, key: string, to: string): boolean {
  if (!root.has(key)) return false
  root.warn(key, `deprecated: moved to ${to} (v0.10); mapped`)
  return true
}

function readHttpServer(root: ConfigReader): HttpServerInput {
  const input: Mutable<HttpServerInput> = {}
  if (warnMoved(root, 'sockets', '[http_server] sockets')) input.sockets = readSockets(root, 'sockets')
  if (warnMoved(root, 'insecure_http', '[http_server] insecure_http'))
    input.insecureHttp = root.boolean('insecure_http')
  if (warnMoved(root, 'private_key', '[http_server] private_key')) input.privateKey = root.string('private_key')
  if (warnMoved(root, 'certificate', '[http_server] certificate')) input.certificate = root.string('certificate')
  return input
}

function readAdmin(root: ConfigReader): LegacyAdminKeys {
  const keys: Mutable<LegacyAdminKeys> = {}
  if (warnMoved(root, 'auth_public_key', '[admin] (today: bearer_jwt identity providers)')) {
    const path = root.nonEmptyString('auth_public_key')
    if (path !== undefined) keys.authPublicKey = path
  }
  if (warnMoved(root, 'insecure_api', '[admin] (today: authorization_mode = "InsecureAllowAll")')) {
    keys.insecureApi = root.boolean('insecure_api')
  }
  return keys
}

function readAttestationService(
  root: ConfigReader,
  timeoutMin: number,
): Pick<LegacyLayout, 'attestationService' | 'attestationServiceKey'> {
  if (warnMoved(root, 'as_config', '[attestation_service] type = "coco_as_builtin"')) {
    const reader = root.subTable('as_config')
    const service = parseBuiltinService(reader, timeoutMin)
    reader?.finish()
    return { attestationService: service, attestationServiceKey: 'as_config' }
  }
  if (warnMoved(root, 'grpc_config', '[attestation_service] type = "coco_as_grpc"')) {
    const reader = root.subTable('grpc_config')
    const service: AttestationServiceConfig = {
      type: 'coco_as_grpc',
      timeoutMin,
      asAddr: reader?.string('as_addr') ?? DEFAULT_AS_ADDR,
      poolSize: reader?.integer('pool_size', 1) ?? DEFAULT_POOL_SIZE,
    }
    reader?.finish()
    return { attestationService: service, attestationServiceKey: 'grpc_config' }
  }
  // `amber_config` is Intel Trust Authority under its earlier name (Project Amber).
  const itaKey = ['intel_trust_authority_config', 'amber_config'].find((key) =>
    warnMoved(root, key, '[attestation_service] type = "intel_ta"'),
  )
  if (itaKey !== undefined) {
    const reader = root.subTable(itaKey)
    const value = (key: string): string => {
      const text = reader?.string(key)
      if (text === undefined) throw root.error(`${itaKey}.${key}`, 'missing (expected a string)')
      return text
    }
    const service: AttestationServiceConfig = {
      type: 'intel_ta',
      timeoutMin,
      baseUrl: value('base_url'),
      apiKey: value('api_key'),
      certsFile: value('certs_file'),
      policyIds: reader?.stringArray('policy_ids') ?? [],
      allowUnmatchedPolicy: reader?.boolean('allow_unmatched_policy') ?? false,
    }
    reader?.finish()
    return { attestationService: service, attestationServiceKey: itaKey }
  }
  return {}
}

/**
 * The pre-v0.10 layout: socket/TLS/admin keys at the top level, `as_config` / `grpc_config` /
 * `intel_trust_authority_config` / `amber_config`, `repository_config`, `policy_engine_config`,
 * `attestation_token_config`, `attestation_token_type`, `timeout`, `as_config_file_path`. Each is
 * accepted with a warning and mapped where today's model has a place for it.
 */
export function parseLegacyLayout(root: ConfigReader, defaultTimeoutMin: number): LegacyLayout {
  const layout: Mutable<LegacyLayout> = { httpServer: readHttpServer(root), admin: readAdmin(root) }
  let timeoutMin = defaultTimeoutMin
  if (warnMoved(root, 'timeout', '[attestation_service] timeout')) timeoutMin = root.integer('timeout', 1) ?? timeoutMin
  if (root.has('attestation_token_type')) {
    root.deprecated('attestation_token_type', 'no longer read; the token format is detected from the token')
    root.string('attestation_token_type')
  }
  if (root.has('as_config_file_path')) {
    root.deprecated('as_config_file_path', 'no longer read; put the AS settings under [attestation_service]')
    root.string('as_config_file_path')
  }
  if (warnMoved(root, 'attestation_token_config', '[attestation_token]')) {
    if (root.has('attestation_token')) {
      throw root.error(
        'attestation_token_config',
        'is the pre-v0.10 spelling and cannot be combined with [attestation_token]',
      )
    }
    const reader = root.subTable('attestation_token_config')
    if (reader !== undefined) layout.attestationToken = reader
  }
  Object.assign(layout, readAttestationService(root, timeoutMin))
  if (warnMoved(root, 'repository_config', '[[plugins]] name = "resource"')) {
    const reader = root.subTable('repository_config')
    if (reader !== undefined) {
      layout.repository = parseLegacyRepository(reader, 'type')
      reader.finish()
    }
  }
  if (warnMoved(root, 'policy_engine_config', '[policy_engine] (today: resource policy in storage)')) {
    const reader = root.subTable('policy_engine_config')
    const path = reader?.string('policy_path')
    reader?.finish()
    if (path !== undefined) layout.resourcePolicyPath = path
  }
  return layout
}
