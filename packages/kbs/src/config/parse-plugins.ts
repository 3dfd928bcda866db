import type { ConfigReader } from './config-reader.ts'
import type { PluginConfig, ResourceBackendType, ResourcePluginConfig } from './model.ts'

const RESOURCE_BACKENDS = new Map<string, ResourceBackendType>([
  ['kvstorage', 'kvstorage'],
  ['KvStorage', 'kvstorage'],
  ['Aliyun', 'Aliyun'],
  ['aliyun', 'Aliyun'],
  ['Aws', 'Aws'],
  ['aws', 'Aws'],
  ['Gcp', 'Gcp'],
  ['gcp', 'Gcp'],
  ['Vault', 'Vault'],
  ['vault', 'Vault'],
])

// Pre-v0.12 resource plugin: `type = "LocalFs"` + `dir_path`, or `type = "Aliyun"` + its keys.
const LEGACY_RESOURCE_TYPES = new Map<string, ResourceBackendType>([
  ['LocalFs', 'LocalFs'],
  ['Aliyun', 'Aliyun'],
])

export const DEFAULT_LEGACY_REPOSITORY_DIR = '/opt/confidential-containers/kbs/repository'

/** The pre-v0.10 `[repository_config]` table, or a resource plugin's legacy `type` keys. */
export function parseLegacyRepository(reader: ConfigReader, typeKey: string): ResourcePluginConfig {
  const type = reader.choice(typeKey, LEGACY_RESOURCE_TYPES) ?? 'LocalFs'
  if (type === 'LocalFs') {
    const dirPath = reader.string('dir_path') ?? DEFAULT_LEGACY_REPOSITORY_DIR
    return { name: 'resource', storageBackendType: 'LocalFs', dirPath, options: {} }
  }
  return { name: 'resource', storageBackendType: type, options: reader.rest() }
}

function parseResourcePlugin(reader: ConfigReader): ResourcePluginConfig {
  if (reader.has('type') && !reader.has('storage_backend_type')) {
    reader.warn('type', 'deprecated: use storage_backend_type = "kvstorage" and [storage_backend]; mapped')
    const config = parseLegacyRepository(reader, 'type')
    reader.finish()
    return config
  }
  const storageBackendType = reader.choice('storage_backend_type', RESOURCE_BACKENDS) ?? 'kvstorage'
  if (storageBackendType === 'kvstorage') {
    reader.finish()
    return { name: 'resource', storageBackendType, options: {} }
  }
  // Cloud and Vault backends are not served; their keys travel unvalidated for the server to refuse.
  return { name: 'resource', storageBackendType, options: reader.rest() }
}

/** `[[plugins]]`: the resource plugin is parsed fully; other plugins keep their keys as options. */
export function parsePlugins(readers: readonly ConfigReader[] | undefined): PluginConfig[] {
  return (readers ?? []).map((reader) => {
    const name = reader.string('name')
    if (name === undefined || name === '') throw reader.error('name', 'missing (expected a plugin name)')
    if (name === 'resource') return parseResourcePlugin(reader)
    return { name, options: reader.rest() }
  })
}
