import type { ConfigReader, Mutable } from './config-reader.ts'
import type { StorageBackendConfig, StorageType } from './model.ts'

export const STORAGE_TYPES = new Map<string, StorageType>([
  ['Memory', 'Memory'],
  ['memory', 'Memory'],
  ['LocalFs', 'LocalFs'],
  ['local_fs', 'LocalFs'],
  ['LocalJson', 'LocalJson'],
  ['local_json', 'LocalJson'],
  ['Postgres', 'Postgres'],
  ['postgres', 'Postgres'],
  ['Redis', 'Redis'],
  ['redis', 'Redis'],
])

export const DEFAULT_LOCAL_FS_DIR = '/opt/confidential-containers/storage/local_fs'
export const DEFAULT_LOCAL_JSON_DIR = '/opt/confidential-containers/storage/local_json'

type Backends = Mutable<StorageBackendConfig['backends']>

function parseBackends(reader: ConfigReader): Backends {
  const backends: Backends = {}
  const localFs = reader.subTable('local_fs')
  if (localFs !== undefined) {
    backends.localFs = { dirPath: localFs.string('dir_path') ?? DEFAULT_LOCAL_FS_DIR }
    localFs.finish()
  }
  const localJson = reader.subTable('local_json')
  if (localJson !== undefined) {
    // The trustee-operator templates write `dir_path` here; upstream ignores it (its default is
    // the same directory). We take it as `file_dir_path`.
    const dirPath = localJson.deprecated('dir_path', 'the local_json key is file_dir_path; taken as that')
    if (dirPath !== undefined) localJson.string('dir_path')
    const fileDirPath = localJson.string('file_dir_path') ?? (dirPath as string | undefined)
    backends.localJson = { fileDirPath: fileDirPath ?? DEFAULT_LOCAL_JSON_DIR }
    localJson.finish()
  }
  const postgres = reader.subTable('postgres')
  if (postgres !== undefined) {
    const config: Mutable<NonNullable<Backends['postgres']>> = {}
    const db = postgres.string('db')
    if (db !== undefined) config.db = db
    const username = postgres.string('username')
    if (username !== undefined) config.username = username
    const password = postgres.string('password')
    if (password !== undefined) config.password = password
    const host = postgres.string('host')
    if (host !== undefined) config.host = host
    const port = postgres.integer('port', 1, 65535)
    if (port !== undefined) config.port = port
    postgres.finish()
    backends.postgres = config
  }
  const redis = reader.subTable('redis')
  if (redis !== undefined) {
    const url = redis.string('url')
    backends.redis = url === undefined ? {} : { url }
    redis.finish()
  }
  reader.finish()
  return backends
}

/** `[storage_backend]`: the unified key–value storage (default Memory, as upstream). */
export function parseStorageBackend(reader: ConfigReader | undefined): StorageBackendConfig {
  if (reader === undefined) return { storageType: 'Memory', backends: {} }
  const storageType = reader.choice('storage_type', STORAGE_TYPES) ?? 'Memory'
  const backendsReader = reader.subTable('backends')
  const backends = backendsReader === undefined ? {} : parseBackends(backendsReader)
  reader.finish()
  return { storageType, backends }
}
