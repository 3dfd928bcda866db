import type {
  BuiltinAttestationService,
  KbsConfig,
  ResourcePluginConfig,
  StorageBackendConfig,
  StorageType,
} from '../config/index.ts'
import {
  createFsStorage,
  createLocalJsonStorage,
  createMemoryStorage,
  createResourceDirStorage,
  type Storage,
} from '@carapace/storage'
import { RESOURCE_NAMESPACE } from '../resource/resource-store.ts'
import { SESSION_NAMESPACE } from '../session/session-record.ts'
import { KbsServerError } from './server-error.ts'

/** The storages of the trust plane; roles that resolve to the same backend share one instance. */
export interface StorageSet {
  /**
   * What the KBS app uses: sessions routed to `sessions`, resources to the resource plugin's
   * directory when it is upstream's `LocalFs`, everything else to `main`.
   */
  readonly kbs: Storage
  /** Resources and the resource policy (`[storage_backend]`). */
  readonly main: Storage
  readonly sessions: Storage
  readonly attestationPolicies: Storage
  readonly referenceValues: Storage
  /** The LocalFs directory of `main`, when it is one. */
  readonly mainDir?: string
  /** The `[[plugins]] name = "resource"` `LocalFs` repository directory, when one is configured. */
  readonly resourceDir?: string
  close(): Promise<void>
}

interface Wanted {
  readonly type: StorageType
  readonly backends: StorageBackendConfig['backends']
  readonly key: string
}

export async function openStorageSet(
  config: KbsConfig,
  as: BuiltinAttestationService,
  configPath?: string,
): Promise<StorageSet> {
  const opened = new Map<string, Storage>()
  const backends = config.storageBackend.backends
  const open = async ({ type, backends: from, key }: Wanted): Promise<{ storage: Storage; dir?: string }> => {
    if (type === 'Memory') {
      const storage = opened.get('memory') ?? createMemoryStorage()
      opened.set('memory', storage)
      return { storage }
    }
    if (type === 'LocalFs') {
      const dir = from.localFs?.dirPath ?? backends.localFs?.dirPath
      if (dir === undefined) {
        throw new KbsServerError(
          'NOT_SERVED',
          `${configPath ?? 'config'}: ${key} is "LocalFs" but [storage_backend.backends.local_fs] dir_path is not set`,
        )
      }
      // Sessions live minutes and a lost one only restarts its handshake: their writes are atomic
      // but not fsynced (docs/benchmarks.md: two fsyncs per handshake outweighed its crypto).
      const storage =
        opened.get(`fs:${dir}`) ?? (await createFsStorage({ dir, unsyncedNamespaces: [SESSION_NAMESPACE] }))
      opened.set(`fs:${dir}`, storage)
      return { storage, dir }
    }
    if (type === 'LocalJson') {
      const dir = from.localJson?.fileDirPath ?? backends.localJson?.fileDirPath
      if (dir === undefined) {
        throw new KbsServerError(
          'NOT_SERVED',
          `${configPath ?? 'config'}: ${key} is "LocalJson" but [storage_backend.backends.local_json] file_dir_path is not set`,
        )
      }
      const storage = opened.get(`json:${dir}`) ?? (await createLocalJsonStorage({ dir }))
      opened.set(`json:${dir}`, storage)
      return { storage }
    }
    throw new KbsServerError(
      'NOT_SERVED',
      `${configPath ?? 'config'}: ${key}: storage type "${type}" is not served by carapace kbs serve (use "LocalFs", "LocalJson" or "Memory")`,
    )
  }
  try {
    const main = await open({ type: config.storageBackend.storageType, backends, key: 'storage_backend.storage_type' })
    const sessions = await open({ type: config.sessionStorageType, backends, key: 'session_storage_type' })
    const policies = await open({
      type: as.storageType ?? config.storageBackend.storageType,
      backends,
      key: as.storageType === undefined ? 'storage_backend.storage_type' : 'attestation_service.storage_type',
    })
    const rvpsConfig = as.rvpsConfig.type === 'BuiltIn' ? as.rvpsConfig : undefined
    const legacy = rvpsConfig?.legacyStorage
    const referenceValues = await open(
      rvpsConfig?.storageType !== undefined
        ? { type: rvpsConfig.storageType, backends, key: 'attestation_service.rvps_config.storage_type' }
        : legacy !== undefined
          ? { type: legacy.storageType, backends: legacy.backends, key: 'attestation_service.rvps_config.storage.type' }
          : { type: config.storageBackend.storageType, backends, key: 'storage_backend.storage_type' },
    )
    const routes = new Map<string, Storage>()
    if (sessions.storage !== main.storage) routes.set(SESSION_NAMESPACE, sessions.storage)
    const resourceDir = localFsResourceDir(config)
    if (resourceDir !== undefined) {
      const storage = await createResourceDirStorage({ dir: resourceDir, namespace: RESOURCE_NAMESPACE })
      opened.set(`resource-dir:${resourceDir}`, storage)
      routes.set(RESOURCE_NAMESPACE, storage)
    }
    return {
      kbs: routes.size === 0 ? main.storage : routeNamespaces(main.storage, routes),
      main: main.storage,
      sessions: sessions.storage,
      attestationPolicies: policies.storage,
      referenceValues: referenceValues.storage,
      ...(main.dir === undefined ? {} : { mainDir: main.dir }),
      ...(resourceDir === undefined ? {} : { resourceDir }),
      close: async () => {
        await Promise.all([...opened.values()].map((s) => s.close()))
      },
    }
  } catch (error) {
    await Promise.all([...opened.values()].map((s) => s.close()))
    throw error
  }
}

/** The repository directory of a resource plugin of upstream's `LocalFs` type (pre-v0.12 configs). */
function localFsResourceDir(config: KbsConfig): string | undefined {
  const plugin = config.plugins.find(
    (p): p is ResourcePluginConfig => p.name === 'resource' && 'storageBackendType' in p,
  )
  return plugin?.storageBackendType === 'LocalFs' ? plugin.dirPath : undefined
}

/** One Storage over several: the namespaces in `routes` go to their storage, the rest to `fallback`. */
function routeNamespaces(fallback: Storage, routes: ReadonlyMap<string, Storage>): Storage {
  const pick = (namespace: string): Storage => routes.get(namespace) ?? fallback
  return {
    get: (ns, key) => pick(ns).get(ns, key),
    put: (ns, key, value) => pick(ns).put(ns, key, value),
    putIfAbsent: (ns, key, value) => pick(ns).putIfAbsent(ns, key, value),
    compareAndSwap: (ns, key, expected, next) => pick(ns).compareAndSwap(ns, key, expected, next),
    delete: (ns, key) => pick(ns).delete(ns, key),
    list: (ns, prefix) => pick(ns).list(ns, prefix),
    close: () => Promise.resolve(),
  }
}
