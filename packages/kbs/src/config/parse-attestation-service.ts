import type { ConfigReader } from './config-reader.ts'
import type { AttestationServiceConfig, BuiltinAttestationService } from './model.ts'
import { parseRvpsConfig } from './parse-rvps-config.ts'
import { STORAGE_TYPES } from './parse-storage-backend.ts'
import { parseTokenBroker } from './parse-token-broker.ts'
import { parseVerifierConfig } from './parse-verifier-config.ts'

export const DEFAULT_TIMEOUT_MIN = 5
export const DEFAULT_AS_ADDR = 'http://127.0.0.1:50004'
export const DEFAULT_POOL_SIZE = 100

const SERVICE_TYPES = new Map<string, AttestationServiceConfig['type']>([
  ['coco_as_builtin', 'coco_as_builtin'],
  ['CoCoASBuiltIn', 'coco_as_builtin'],
  ['coco_as_grpc', 'coco_as_grpc'],
  ['CoCoASGrpc', 'coco_as_grpc'],
  ['intel_ta', 'intel_ta'],
  ['IntelTA', 'intel_ta'],
  ['Keylime', 'keylime'],
  ['keylime-tee', 'keylime'],
])

/** The built-in AS keys; also the body of the pre-v0.10 top-level `[as_config]`. */
export function parseBuiltinService(reader: ConfigReader | undefined, timeoutMin: number): BuiltinAttestationService {
  if (reader?.has('work_dir') === true) {
    reader.deprecated('work_dir', 'no longer read; data lives in [storage_backend]')
    reader.string('work_dir')
  }
  if (reader?.has('policy_engine') === true) {
    reader.deprecated('policy_engine', 'no longer read; AS policies are always Rego')
    reader.string('policy_engine')
  }
  const config: BuiltinAttestationService = {
    type: 'coco_as_builtin',
    timeoutMin,
    rvpsConfig: parseRvpsConfig(reader?.subTable('rvps_config')),
    attestationTokenBroker: parseTokenBroker(reader),
    verifierConfig: parseVerifierConfig(reader?.subTable('verifier_config')),
  }
  const storageType = reader?.choice('storage_type', STORAGE_TYPES)
  return storageType === undefined ? config : { ...config, storageType }
}

function required(reader: ConfigReader, key: string): string {
  const value = reader.string(key)
  if (value === undefined) throw reader.error(key, 'missing (expected a string)')
  return value
}

/** `[attestation_service]`, dispatched on `type` (default: the built-in CoCo AS). */
export function parseAttestationService(reader: ConfigReader | undefined): AttestationServiceConfig {
  if (reader === undefined) return parseBuiltinService(undefined, DEFAULT_TIMEOUT_MIN)
  const type = reader.choice('type', SERVICE_TYPES) ?? 'coco_as_builtin'
  const timeoutMin = reader.integer('timeout', 1) ?? DEFAULT_TIMEOUT_MIN
  let config: AttestationServiceConfig
  if (type === 'coco_as_builtin') {
    config = parseBuiltinService(reader, timeoutMin)
  } else if (type === 'coco_as_grpc') {
    config = {
      type,
      timeoutMin,
      asAddr: reader.string('as_addr') ?? DEFAULT_AS_ADDR,
      poolSize: reader.integer('pool_size', 1) ?? DEFAULT_POOL_SIZE,
    }
  } else if (type === 'keylime') {
    config = {
      type,
      timeoutMin,
      baseUrl: required(reader, 'base_url'),
      apiVersionMajor: reader.integer('api_version_major', 0, 255) ?? 0,
      apiVersionMinor: reader.integer('api_version_minor', 0, 255) ?? 0,
      cvCaPath: required(reader, 'cv_ca_path'),
    }
  } else {
    config = {
      type,
      timeoutMin,
      baseUrl: required(reader, 'base_url'),
      apiKey: required(reader, 'api_key'),
      certsFile: required(reader, 'certs_file'),
      policyIds: reader.stringArray('policy_ids') ?? [],
      allowUnmatchedPolicy: reader.boolean('allow_unmatched_policy') ?? false,
    }
  }
  reader.finish()
  return config
}
