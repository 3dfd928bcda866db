import type { ConfigReader, Mutable } from './config-reader.ts'
import type { SnpVcekSource, VerifierConfig } from './model.ts'

const VCEK_SOURCE_TYPES = new Map<string, SnpVcekSource['type']>([
  ['KDS', 'KDS'],
  ['OfflineStore', 'OfflineStore'],
])
const TCB_UPDATE_TYPES = new Map<string, 'early' | 'standard'>([
  ['early', 'early'],
  ['standard', 'standard'],
])
const NVIDIA_TYPES = new Map<string, 'Local' | 'Remote'>([
  ['Local', 'Local'],
  ['Remote', 'Remote'],
])

function parseVcekSource(reader: ConfigReader): SnpVcekSource {
  const type = reader.choice('type', VCEK_SOURCE_TYPES)
  if (type === undefined) throw reader.error('type', 'missing (expected "KDS" or "OfflineStore")')
  const source: Mutable<SnpVcekSource> = { type }
  if (type === 'KDS') {
    const baseUrl = reader.string('base_url')
    if (baseUrl !== undefined) source.baseUrl = baseUrl
  } else {
    const path = reader.string('path')
    if (path !== undefined) source.path = path
  }
  reader.finish()
  return source
}

/** `verifier_config` of the built-in AS (reference §2.3): hardware verifiers' options. */
export function parseVerifierConfig(reader: ConfigReader | undefined): VerifierConfig {
  const config: Mutable<VerifierConfig> = {}
  if (reader === undefined) return config
  const snp = reader.subTable('snp_verifier')
  if (snp !== undefined) {
    config.snpVerifier = { vcekSources: snp.tableArray('vcek_sources')?.map(parseVcekSource) ?? [{ type: 'KDS' }] }
    snp.finish()
  }
  const dcap = reader.subTable('dcap_verifier')
  if (dcap !== undefined) {
    const value: Mutable<NonNullable<VerifierConfig['dcapVerifier']>> = {}
    const collateralService = dcap.string('collateral_service')
    if (collateralService !== undefined) value.collateralService = collateralService
    const tcbUpdateType = dcap.choice('tcb_update_type', TCB_UPDATE_TYPES)
    if (tcbUpdateType !== undefined) value.tcbUpdateType = tcbUpdateType
    dcap.finish()
    config.dcapVerifier = value
  }
  const nvidia = reader.subTable('nvidia_verifier')
  if (nvidia !== undefined) {
    const type = nvidia.choice('type', NVIDIA_TYPES) ?? 'Local'
    const verifierUrl = nvidia.string('verifier_url')
    nvidia.finish()
    config.nvidiaVerifier = verifierUrl === undefined ? { type } : { type, verifierUrl }
  }
  const tpm = reader.subTable('tpm_verifier')
  if (tpm !== undefined) {
    // Documented upstream but not read by its code; kept for the server to decide.
    const trustedAkKeysDir = tpm.string('trusted_ak_keys_dir')
    tpm.finish()
    config.tpmVerifier = trustedAkKeysDir === undefined ? {} : { trustedAkKeysDir }
  }
  const dpu = reader.subTable('nvidia_dpu_verifier')
  if (dpu !== undefined) {
    const value: Mutable<NonNullable<VerifierConfig['nvidiaDpuVerifier']>> = {}
    const rootCaCertPath = dpu.string('root_ca_cert_path')
    if (rootCaCertPath !== undefined) value.rootCaCertPath = rootCaCertPath
    const maxCertAgeSecs = dpu.integer('max_cert_age_secs', 0)
    if (maxCertAgeSecs !== undefined) value.maxCertAgeSecs = maxCertAgeSecs
    dpu.finish()
    config.nvidiaDpuVerifier = value
  }
  reader.finish()
  return config
}
