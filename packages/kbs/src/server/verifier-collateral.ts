import { stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import {
  createCachedCollateral,
  createDirectoryCollateral,
  createHttpCollateral,
  createOfflineStoreCollateral,
  firstOf,
  NO_COLLATERAL,
  type CollateralSource,
} from '@carapace/attestation-service'
import type { VerifierConfig } from '../config/index.ts'
import type { KbsLogger } from '../http/kbs-logger.ts'
import { KbsServerError } from './server-error.ts'

const KEY = 'attestation_service.verifier_config'

export interface VerifierCollateralOptions {
  /** The cache of fetched collateral lives in `<dataDir>/collateral-cache`. */
  readonly dataDir: string
  /** `--collateral DIR`: a flat folder of one platform's collateral, asked before anything else. */
  readonly collateralDir?: string
  /** The file the config came from, for messages only. */
  readonly configPath?: string
  readonly fetch?: typeof globalThis.fetch
  readonly now?: () => Date
  readonly logger: KbsLogger
  /** Where Hygon HSK/CEK pairs are kept (`hsk_cek/<chip>/hsk_cek.cert`); default upstream's `/opt/hygon/csv`. */
  readonly hygonCertDir?: string
}

/** Upstream's CSV verifier looks for `<dir>/hsk_cek/<chip>/hsk_cek.cert` here before Hygon's KDS. */
export const DEFAULT_HYGON_CERT_DIR = '/opt/hygon/csv'

/** What the built-in AS verifies with: its collateral source, and what each piece of it is (for the start-up log). */
export interface VerifierCollateral {
  readonly source: CollateralSource
  readonly sources: readonly string[]
}

function notServed(configPath: string | undefined, key: string, what: string): KbsServerError {
  const prefix = configPath === undefined ? '' : `${configPath}: `
  return new KbsServerError('NOT_SERVED', `${prefix}${KEY}.${key}: ${what} is not served by carapace kbs serve`)
}

function invalid(configPath: string | undefined, key: string, what: string): KbsServerError {
  const prefix = configPath === undefined ? '' : `${configPath}: `
  return new KbsServerError('INVALID_ARGUMENT', `${prefix}${KEY}.${key}: ${what}`)
}

/** Only the request kinds whose name starts with `prefix` reach `inner`. */
function onlyKinds(prefix: 'amd-' | 'intel-' | 'hygon-', inner: CollateralSource): CollateralSource {
  return { get: (request) => (request.kind.startsWith(prefix) ? inner.get(request) : Promise.resolve(undefined)) }
}

function httpUrl(value: string, configPath: string | undefined, key: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw invalid(configPath, key, `${JSON.stringify(value)} is not a URL`)
  }
  if (url.protocol === 'file:') {
    throw notServed(configPath, key, 'a file:// collateral service (PcsClientTool JSON; use --collateral DIR)')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid(configPath, key, `${JSON.stringify(value)} is not an http(s) URL`)
  }
  return url
}

/**
 * Intel PCS v4 or a PCCS, given as upstream's configs do (`https://host/sgx/certification/v4/`) or
 * as a bare origin: the base the `/{sgx|tdx}/certification/v4/…` paths are appended to.
 */
export function intelServiceBase(value: string, configPath?: string): string {
  const url = httpUrl(value, configPath, 'dcap_verifier.collateral_service')
  const path = url.pathname.replace(/\/+$/, '')
  const base = path.replace(/\/(sgx|tdx)\/certification\/v4$/, '')
  if (base !== '' && base === path) {
    throw invalid(
      configPath,
      'dcap_verifier.collateral_service',
      `${JSON.stringify(value)} must end in /sgx/certification/v4/ (Intel PCS v4 or a PCCS) or be a bare origin`,
    )
  }
  return `${url.origin}${base}`
}

/** Asks PCS/PCCS for the TCB Info and QE Identity of the configured `tcb_update_type` (upstream's default: early). */
function withTcbUpdate(doFetch: typeof globalThis.fetch, update: 'early' | 'standard'): typeof globalThis.fetch {
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    if (/\/certification\/v4\/(tcb|qe\/identity)$/.test(url.pathname)) url.searchParams.set('update', update)
    return doFetch(url, init)
  }
}

/** Refuses the verifier settings this server cannot honour, naming the key. */
function checkServedVerifiers(config: VerifierConfig, configPath: string | undefined, logger: KbsLogger): void {
  if (config.nvidiaVerifier?.type === 'Remote') {
    throw notServed(configPath, 'nvidia_verifier.type', 'the remote NVIDIA verifier (NRAS; use "Local")')
  }
  if (config.tpmVerifier?.trustedAkKeysDir !== undefined) {
    logger.log('warn', `${KEY}.tpm_verifier.trusted_ak_keys_dir is not read (nor is it upstream)`, {
      detail: 'which TPM attestation keys are trusted is decided by the attestation policy and reference values',
    })
  }
}

/**
 * The collateral the hardware verifiers get from `verifier_config` (reference §2.3), in order:
 * `--collateral DIR`; then, for AMD, `snp_verifier.vcek_sources` in their order (OfflineStore:
 * VCEKs from upstream's store layout; KDS: AMD KDS behind the disk cache; default `[KDS]`); for
 * Intel, `dcap_verifier.collateral_service` (default Intel PCS v4) behind the cache; for Hygon
 * (CSV, DCU), HSK/CEK pairs from `/opt/hygon/csv/hsk_cek/<chip>/hsk_cek.cert` (as upstream), then
 * Hygon's KDS behind the cache (upstream has no setting for either). With
 * `--collateral` no vendor service is asked at all (air-gapped: a refused connection per missing
 * CRL would fail every verification). The NVIDIA root is pinned. Nothing is fetched at start-up.
 */
export async function verifierCollateral(
  config: VerifierConfig,
  options: VerifierCollateralOptions,
): Promise<VerifierCollateral> {
  const { configPath, logger } = options
  checkServedVerifiers(config, configPath, logger)
  const cacheDir = join(options.dataDir, 'collateral-cache')
  const doFetch = options.fetch ?? globalThis.fetch
  const now = options.now ?? (() => new Date())
  const cached = (inner: CollateralSource): CollateralSource =>
    createCachedCollateral(inner, {
      dir: cacheDir,
      now,
      onStale: (key, reason) => {
        logger.log('warn', 'serving expired collateral: its refresh failed', {
          key,
          detail: reason instanceof Error ? reason.message : String(reason),
        })
      },
    })
  const sources: CollateralSource[] = []
  const described: string[] = []

  if (options.collateralDir !== undefined) {
    const dir = resolve(options.collateralDir)
    const info = await stat(dir).catch(() => undefined)
    if (info?.isDirectory() !== true) {
      throw new KbsServerError('INVALID_ARGUMENT', `--collateral: ${dir} is not a readable folder`)
    }
    sources.push(createDirectoryCollateral(dir))
    described.push(`folder ${dir}`)
  }
  // An air-gapped site: besides the folder only the offline VCEK stores and the imported cache, no vendor service.
  const offline = options.collateralDir !== undefined
  const hygonDir = resolve(options.hygonCertDir ?? DEFAULT_HYGON_CERT_DIR)
  sources.push(onlyKinds('hygon-', createDirectoryCollateral(hygonDir)))
  described.push(`Hygon HSK/CEK store ${hygonDir}`)

  const vcekSources = config.snpVerifier?.vcekSources ?? [{ type: 'KDS' as const }]
  for (const [index, vcekSource] of vcekSources.entries()) {
    if (vcekSource.type === 'OfflineStore') {
      sources.push(
        vcekSource.path === undefined
          ? createOfflineStoreCollateral()
          : createOfflineStoreCollateral(resolve(vcekSource.path)),
      )
      described.push(`AMD VCEK store ${vcekSource.path ?? '(upstream default path)'}`)
      continue
    }
    const key = `snp_verifier.vcek_sources[${String(index)}].base_url`
    const kds = vcekSource.baseUrl === undefined ? undefined : httpUrl(vcekSource.baseUrl, configPath, key).href
    if (offline) continue
    const http = createHttpCollateral({ ...(kds === undefined ? {} : { amdKdsUrl: kds }), fetch: doFetch, now })
    sources.push(onlyKinds('amd-', cached(http)))
    described.push(`AMD KDS ${kds ?? 'https://kdsintf.amd.com'} (cached in ${cacheDir})`)
  }

  const dcap = config.dcapVerifier
  const pcs = dcap?.collateralService === undefined ? undefined : intelServiceBase(dcap.collateralService, configPath)
  if (offline) {
    // What `carapace collateral import … --cache <dataDir>/collateral-cache` loaded, read offline.
    sources.push(cached(NO_COLLATERAL))
    described.push(`imported collateral in ${cacheDir} (read only)`)
    return { source: firstOf(sources), sources: described }
  }
  const intel = createHttpCollateral({
    ...(pcs === undefined ? {} : { intelPcsUrl: pcs }),
    fetch: withTcbUpdate(doFetch, dcap?.tcbUpdateType ?? 'early'),
    now,
  })
  sources.push(onlyKinds('intel-', cached(intel)))
  described.push(`Intel ${pcs ?? 'PCS v4 https://api.trustedservices.intel.com'} (cached in ${cacheDir})`)
  sources.push(onlyKinds('hygon-', cached(createHttpCollateral({ fetch: doFetch, now }))))
  described.push(`Hygon KDS https://cert.hygon.cn (cached in ${cacheDir})`)
  return { source: firstOf(sources), sources: described }
}
