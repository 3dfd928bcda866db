import type { BuiltinAttestationService, KbsConfig } from '../config/index.ts'
import { KbsServerError } from './server-error.ts'

function notServed(where: string | undefined, key: string, what: string): KbsServerError {
  const prefix = where === undefined ? '' : `${where}: `
  return new KbsServerError('NOT_SERVED', `${prefix}${key}: ${what} is not served by carapace kbs serve`)
}

/**
 * Refuses, at start-up, every config choice this server parses but does not provide, naming the
 * key: nothing configured is silently ignored. Returns the built-in attestation service config.
 */
export function checkServedConfig(config: KbsConfig, configPath?: string): BuiltinAttestationService {
  const as = config.attestationService
  if (as.type !== 'coco_as_builtin') {
    throw notServed(configPath, 'attestation_service.type', `"${as.type}" (only the built-in "coco_as_builtin")`)
  }
  if (as.rvpsConfig.type === 'GrpcRemote') {
    throw notServed(configPath, 'attestation_service.rvps_config.type', 'a remote RVPS ("GrpcRemote")')
  }
  if (as.rvpsConfig.legacyFilePath !== undefined) {
    throw notServed(
      configPath,
      'attestation_service.rvps_config.storage.file_path',
      'a reference-value file (register values with POST /kbs/v0/reference-value)',
    )
  }
  if (config.attestationToken.trustedJwkSets.length > 0) {
    throw notServed(configPath, 'attestation_token.trusted_jwk_sets', 'token key lookup in JWK sets')
  }
  for (const [index, plugin] of config.plugins.entries()) {
    const key = `plugins[${String(index)}]`
    if (plugin.name !== 'resource') throw notServed(configPath, `${key}.name`, `the "${plugin.name}" plugin`)
    const backend = 'storageBackendType' in plugin ? plugin.storageBackendType : 'kvstorage'
    if (backend !== 'kvstorage' && backend !== 'LocalFs') {
      throw notServed(
        configPath,
        `${key}.type`,
        `the "${backend}" resource backend (only "kvstorage", the unified storage, and "LocalFs")`,
      )
    }
  }
  return as
}
