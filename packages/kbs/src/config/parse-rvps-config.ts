import type { ConfigReader, Mutable } from './config-reader.ts'
import type { RvpsConfig } from './model.ts'
import { parseStorageBackend, STORAGE_TYPES } from './parse-storage-backend.ts'

export const DEFAULT_RVPS_ADDRESS = '127.0.0.1:50003'

const RVPS_TYPES = new Map<string, 'BuiltIn' | 'GrpcRemote'>([
  ['BuiltIn', 'BuiltIn'],
  ['GrpcRemote', 'GrpcRemote'],
])

type BuiltIn = Mutable<Extract<RvpsConfig, { type: 'BuiltIn' }>>

/** The pre-unified-storage `rvps_config.storage` table (`type`/`storage_type`, `file_path`, backends). */
function readLegacyStorage(reader: ConfigReader, config: BuiltIn): void {
  const storage = reader.subTable('storage')
  if (storage === undefined) return
  reader.warn('storage', 'deprecated: RVPS uses [storage_backend]; use rvps_config.storage_type to override the type')
  const type = storage.choice('type', STORAGE_TYPES)
  const filePath = storage.string('file_path')
  if (filePath !== undefined) config.legacyFilePath = filePath
  const parsed = parseStorageBackend(storage)
  config.legacyStorage = {
    ...parsed,
    storageType: storage.has('storage_type') ? parsed.storageType : (type ?? parsed.storageType),
  }
}

/** The v0.8-era flat keys: `store_type`, `store_config`, `remote_addr`. */
function readLegacyFlatKeys(reader: ConfigReader, config: BuiltIn): string | undefined {
  const storeType = reader.deprecated('store_type', 'use rvps_config.storage_type; mapped')
  if (storeType !== undefined) {
    const type = reader.choice('store_type', STORAGE_TYPES)
    if (type !== undefined && config.storageType === undefined) config.storageType = type
  }
  const storeConfig = reader.deprecated('store_config', 'no longer read; use [storage_backend.backends]')
  if (storeConfig !== undefined) reader.subTable('store_config')?.rest()
  reader.deprecated('remote_addr', 'use type = "GrpcRemote" with address; mapped when non-empty')
  return reader.nonEmptyString('remote_addr')
}

export function parseRvpsConfig(reader: ConfigReader | undefined): RvpsConfig {
  if (reader === undefined) return { type: 'BuiltIn' }
  const type = reader.choice('type', RVPS_TYPES)
  if (type === 'GrpcRemote') {
    const address = reader.string('address') ?? DEFAULT_RVPS_ADDRESS
    reader.finish()
    return { type, address }
  }
  const config: BuiltIn = { type: 'BuiltIn' }
  const storageType = reader.choice('storage_type', STORAGE_TYPES)
  if (storageType !== undefined) config.storageType = storageType
  const extractors = reader.subTable('extractors')
  if (extractors !== undefined) config.extractors = extractors.rest()
  readLegacyStorage(reader, config)
  const remoteAddr = readLegacyFlatKeys(reader, config)
  reader.finish()
  if (remoteAddr !== undefined && type === undefined) return { type: 'GrpcRemote', address: remoteAddr }
  return config
}
