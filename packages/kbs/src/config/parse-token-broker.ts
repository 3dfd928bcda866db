import type { ConfigReader, Mutable } from './config-reader.ts'
import type { TokenBrokerConfig, TokenSignerConfig } from './model.ts'

export const DEFAULT_TOKEN_DURATION_MIN = 5
export const DEFAULT_ISSUER_NAME = 'CoCo-Attestation-Service'
export const DEFAULT_DEVELOPER_NAME = 'https://confidentialcontainers.org'
export const DEFAULT_PROFILE_NAME = 'tag:github.com,2024:confidential-containers/Trustee'

const BROKER_TYPES = new Map<string, string>([
  ['Ear', 'Ear'],
  ['Simple', 'Simple'],
])

function parseSigner(reader: ConfigReader): TokenSignerConfig {
  const keyPath = reader.string('key_path')
  const certPath = reader.nonEmptyString('cert_path')
  const certUrl = reader.nonEmptyString('cert_url')
  reader.finish()
  if (keyPath === undefined) throw reader.error('key_path', 'missing (expected a PEM key path)')
  const signer: Mutable<TokenSignerConfig> = { keyPath }
  if (certPath !== undefined) signer.certPath = certPath
  if (certUrl !== undefined) signer.certUrl = certUrl
  return signer
}

/**
 * Combines `attestation_token_broker` with the deprecated `attestation_token_config` (its name
 * before the EAR broker; configs in the field carry both, e.g. the type in one and
 * `duration_min` in the other). A key set differently in both is an error.
 */
function mergedBrokerTable(owner: ConfigReader): ConfigReader | undefined {
  const broker = owner.raw('attestation_token_broker')
  const legacy = owner.deprecated('attestation_token_config', 'renamed attestation_token_broker; mapped')
  let current: ConfigReader | undefined
  if (typeof broker === 'string') {
    // Before the tables were merged, `attestation_token_broker` was just the type name.
    owner.warn('attestation_token_broker', 'deprecated: a type name here is no longer read (EAR tokens only)')
    owner.choice('attestation_token_broker', BROKER_TYPES)
  } else {
    current = owner.subTable('attestation_token_broker')
  }
  const old = legacy === undefined ? undefined : owner.subTable('attestation_token_config')
  if (old === undefined) return current
  if (current === undefined) return old
  const merged: Record<string, unknown> = { ...old.table }
  for (const [key, value] of Object.entries(current.table)) {
    const previous = merged[key]
    if (previous !== undefined && JSON.stringify(previous) !== JSON.stringify(value)) {
      throw owner.error('attestation_token_config', `sets ${key} differently from attestation_token_broker`)
    }
    merged[key] = value
  }
  return current.withTable(merged)
}

export function parseTokenBroker(owner: ConfigReader | undefined): TokenBrokerConfig {
  const reader = owner === undefined ? undefined : mergedBrokerTable(owner)
  const config: Mutable<TokenBrokerConfig> = {
    durationMin: DEFAULT_TOKEN_DURATION_MIN,
    issuerName: DEFAULT_ISSUER_NAME,
    developerName: DEFAULT_DEVELOPER_NAME,
    profileName: DEFAULT_PROFILE_NAME,
    verboseToken: true,
  }
  if (reader === undefined) return config
  if (reader.has('type')) {
    reader.deprecated('type', 'no longer read; tokens are always EAR')
    reader.choice('type', BROKER_TYPES)
  }
  if (reader.has('policy_dir')) {
    reader.deprecated('policy_dir', 'no longer read; AS policies live in the storage backend')
    reader.string('policy_dir')
  }
  config.durationMin = reader.integer('duration_min', 1) ?? config.durationMin
  config.issuerName = reader.string('issuer_name') ?? config.issuerName
  config.developerName = reader.string('developer_name') ?? config.developerName
  const buildName = reader.string('build_name')
  if (buildName !== undefined) config.buildName = buildName
  config.profileName = reader.string('profile_name') ?? config.profileName
  config.verboseToken = reader.boolean('verbose_token') ?? config.verboseToken
  const signer = reader.subTable('signer')
  if (signer !== undefined) config.signer = parseSigner(signer)
  reader.finish()
  return config
}
