import { parse as parseToml } from 'smol-toml'
import { parse as parseYaml } from 'yaml'
import { ConfigReader, isTable, type ConfigTable } from './config-reader.ts'
import { KbsConfigError, type KbsConfigWarning } from './errors.ts'
import type { AttestationServiceConfig, KbsConfig, PluginConfig } from './model.ts'
import { parseAdmin } from './parse-admin.ts'
import { DEFAULT_TIMEOUT_MIN, parseAttestationService } from './parse-attestation-service.ts'
import { parseAttestationToken } from './parse-attestation-token.ts'
import { parseHttpServer } from './parse-http-server.ts'
import { parseLegacyLayout, type LegacyLayout } from './parse-legacy-layout.ts'
import { parsePlugins } from './parse-plugins.ts'
import { parseStorageBackend, STORAGE_TYPES } from './parse-storage-backend.ts'

export type KbsConfigFormat = 'toml' | 'yaml' | 'json'

export interface ParsedKbsConfig {
  readonly config: KbsConfig
  readonly warnings: readonly KbsConfigWarning[]
}

/** Upstream's `config` crate picks the format from the extension; so do we. */
export function formatFromFileName(fileName: string): KbsConfigFormat {
  const lower = fileName.toLowerCase()
  if (lower.endsWith('.toml')) return 'toml'
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml'
  if (lower.endsWith('.json')) return 'json'
  throw new KbsConfigError(
    'CONFIG_INVALID',
    `${fileName}: unknown config format (expected a .toml, .yaml, .yml or .json file name)`,
  )
}

function parseDocument(text: string, format: KbsConfigFormat, fileName: string): ConfigTable {
  let document: unknown
  try {
    if (format === 'toml') document = parseToml(text)
    else if (format === 'yaml') document = parseYaml(text)
    else document = JSON.parse(text)
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new KbsConfigError('CONFIG_INVALID', `${fileName}: not valid ${format.toUpperCase()}: ${detail}`, {
      cause: error,
    })
  }
  if (document === null || document === undefined) return {}
  if (!isTable(document)) {
    throw new KbsConfigError('CONFIG_INVALID', `${fileName}: expected a table of settings at the top level`)
  }
  return document
}

function chooseAttestationService(root: ConfigReader, legacy: LegacyLayout): AttestationServiceConfig {
  const current = root.subTable('attestation_service')
  if (current !== undefined && legacy.attestationService !== undefined) {
    throw root.error(
      legacy.attestationServiceKey,
      'is the pre-v0.10 spelling and cannot be combined with [attestation_service]',
    )
  }
  return legacy.attestationService ?? parseAttestationService(current)
}

/**
 * Parses a KBS config in upstream Trustee's format (any release), pure. Deprecated keys are
 * accepted with a warning each; unknown keys and wrong values throw `KbsConfigError` naming the
 * key path and `fileName`. The CLI, not this function, reads `KBS_CONFIG_FILE`.
 */
export function parseKbsConfig(
  text: string,
  options: { readonly format?: KbsConfigFormat; readonly fileName: string },
): ParsedKbsConfig {
  const format = options.format ?? formatFromFileName(options.fileName)
  const warnings: KbsConfigWarning[] = []
  const root = ConfigReader.root(parseDocument(text, format, options.fileName), options.fileName, warnings)
  const legacy = parseLegacyLayout(root, DEFAULT_TIMEOUT_MIN)
  const storageBackend = parseStorageBackend(root.subTable('storage_backend'))
  const plugins: PluginConfig[] = parsePlugins(root.tableArray('plugins'))
  if (legacy.repository !== undefined) plugins.push(legacy.repository)
  const policyEngine = root.subTable('policy_engine')
  let legacyResourcePolicyPath = legacy.resourcePolicyPath
  if (policyEngine !== undefined) {
    root.warn('policy_engine', 'deprecated: the resource policy lives in the storage backend; policy_path is imported')
    legacyResourcePolicyPath = policyEngine.string('policy_path') ?? legacyResourcePolicyPath
    policyEngine.finish()
  }
  if (!root.has('admin') && legacy.admin.authPublicKey === undefined && legacy.admin.insecureApi === undefined) {
    root.warn('admin', 'missing: the admin API is disabled (authorization_mode = "DenyAll"); upstream requires [admin]')
  }
  const config: KbsConfig = {
    httpServer: parseHttpServer(root.subTable('http_server'), legacy.httpServer),
    admin: parseAdmin(root.subTable('admin'), legacy.admin),
    attestationToken: parseAttestationToken(root.subTable('attestation_token') ?? legacy.attestationToken),
    attestationService: chooseAttestationService(root, legacy),
    storageBackend,
    sessionStorageType: root.choice('session_storage_type', STORAGE_TYPES) ?? storageBackend.storageType,
    plugins,
    ...(legacyResourcePolicyPath === undefined ? {} : { legacyResourcePolicyPath }),
  }
  root.finish()
  return { config, warnings }
}
