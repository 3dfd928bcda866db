import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { createAttestationService, type AttestationService } from '@carapace/attestation-service'
import { createRvps, type Rvps } from '@carapace/rvps'
import type { Storage } from '@carapace/storage'
import { createAdminAuthorizer } from '../admin/admin-authorizer.ts'
import { defaultKbsConfig, type KbsConfig } from '../config/index.ts'
import { createKbsApp, type KbsApp } from '../http/app.ts'
import type { AuthRateLimit } from '../http/auth-rate-limit.ts'
import type { KbsLogger } from '../http/kbs-logger.ts'
import { createMetricsRegistry } from '../http/metrics.ts'
import { installDefaultResourcePolicy, setResourcePolicy } from '../policy/resource-policy.ts'
import { attestationAdminOf, attestationEvaluatorOf } from './attestation-adapters.ts'
import { createJsonLinesLogger } from './json-lines-logger.ts'
import { ensureAdminKeyPair } from './key-material.ts'
import { DEFAULT_DATA_DIR, type KbsServerOptions } from './kbs-server-options.ts'
import { insecureConfigWarnings } from './insecure-config-warnings.ts'
import { checkServedConfig } from './served-config.ts'
import { startSessionSweeper } from './session-sweeper.ts'
import { openStorageSet } from './storage-set.ts'
import { KbsServerError } from './server-error.ts'
import { createTokenVerifier, tokenSignerOptions } from './token-keys.ts'
import { configuredVerifiers } from './configured-verifiers.ts'
import { verifierCollateral } from './verifier-collateral.ts'

/** `ear.verifier-id.build` when the config names none. */
export const KBS_BUILD_NAME = 'carapace-kbs 0.1.0'
const SAMPLE_TEE_WARNING =
  'INSECURE DEVELOPMENT MODE: --insecure-allow-sample-tee is on; sample TEE evidence (no real TEE, anyone can forge it) can be affirming and receive secrets'

export interface BuiltKbs {
  readonly app: KbsApp
  readonly attestationService: AttestationService
  readonly rvps: Rvps
  /** The storage of resources, resource policy and (unless configured apart) sessions. */
  readonly storage: Storage
  readonly config: KbsConfig
  readonly logger: KbsLogger
  readonly dataDir: string
  readonly adminPrivateKeyPath?: string
  readonly storageDir?: string
  /** Stops the session sweeper and closes the storages. */
  close(): Promise<void>
}

async function importLegacyResourcePolicy(storage: Storage, path: string, logger: KbsLogger): Promise<void> {
  if ((await storage.list('kbs')).length > 0) return
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (cause) {
    throw new KbsServerError('KEY_MATERIAL', `policy_engine.policy_path: cannot read ${path}`, { cause })
  }
  await setResourcePolicy(storage, { policy: Buffer.from(text, 'utf8').toString('base64url') })
  logger.log('info', 'imported the resource policy from policy_engine.policy_path', { path })
}

/** `[http_server] auth_rate_limit_*`: a per-client-address token bucket on POST /auth, per replica. */
function authRateLimitOf(config: KbsConfig, logger: KbsLogger): { authRateLimit?: AuthRateLimit } {
  const { authRateLimitPerSecond: perSecond, authRateLimitBurst: burst } = config.httpServer
  if (perSecond === undefined) {
    if (burst !== undefined) {
      logger.log('warn', 'http_server.auth_rate_limit_burst has no effect without auth_rate_limit_per_second', {})
    }
    return {}
  }
  logger.log('info', 'POST /kbs/v0/auth is rate limited per client address, in this process', {
    perSecond,
    burst: burst ?? perSecond,
  })
  return { authRateLimit: { perSecond, ...(burst === undefined ? {} : { burst }) } }
}

/**
 * The trust plane without sockets: KBS app, built-in attestation service and RVPS on the
 * configured storage, with key material generated where the default config asks for it.
 */
export async function buildKbs(options: KbsServerOptions = {}): Promise<BuiltKbs> {
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR)
  const config = options.config ?? defaultKbsConfig({ dataDir })
  const now = options.now ?? (() => new Date())
  const logger = options.logger ?? createJsonLinesLogger()
  const insecureAllowSampleTee = options.insecureAllowSampleTee ?? false
  for (const warning of options.configWarnings ?? []) {
    logger.log('warn', 'config', { file: warning.file, key: warning.key, detail: warning.message })
  }
  const as = checkServedConfig(config, options.configPath)
  const collateral = await verifierCollateral(as.verifierConfig, {
    dataDir,
    logger,
    now,
    ...(options.configPath === undefined ? {} : { configPath: options.configPath }),
    ...(options.collateralDir === undefined ? {} : { collateralDir: options.collateralDir }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  })
  const verifiers = await configuredVerifiers(as.verifierConfig, options.configPath, logger)
  const generated = config.admin.generatedKey
  if (generated !== undefined) {
    const admin = await ensureAdminKeyPair(generated)
    if (admin.generated) logger.log('info', 'generated the admin key pair', { privateKeyPath: admin.privateKeyPath })
  }
  const signer = await tokenSignerOptions(as.attestationTokenBroker.signer, now())
  const admin = await createAdminAuthorizer(config.admin, { now })
  const storages = await openStorageSet(config, as, options.configPath)
  try {
    const rvps = createRvps({ storage: storages.referenceValues, now })
    const broker = as.attestationTokenBroker
    const attestationService = createAttestationService({
      storage: storages.attestationPolicies,
      rvps,
      now,
      collateral: collateral.source,
      verifiers,
      ...(signer === undefined ? {} : { signer }),
      token: {
        durationMin: broker.durationMin,
        issuer: broker.issuerName,
        developer: broker.developerName,
        build: broker.buildName ?? KBS_BUILD_NAME,
        profile: broker.profileName,
      },
      verbose: broker.verboseToken,
      insecureAllowSampleTee,
    })
    await attestationService.ready()
    const tokenVerifier = await createTokenVerifier(config.attestationToken, attestationService.jwk, now)
    if (config.legacyResourcePolicyPath !== undefined) {
      await importLegacyResourcePolicy(storages.main, config.legacyResourcePolicyPath, logger)
    }
    await installDefaultResourcePolicy(storages.main)
    logger.log('info', 'hardware verifiers take vendor collateral from', { sources: collateral.sources.join('; ') })
    if (insecureAllowSampleTee) logger.log('warn', SAMPLE_TEE_WARNING, { flag: '--insecure-allow-sample-tee' })
    for (const warning of insecureConfigWarnings(config)) logger.log('warn', warning, {})
    const app = createKbsApp({
      storage: storages.kbs,
      admin,
      tokenVerifier,
      attestation: attestationEvaluatorOf(attestationService, { insecureAllowSampleTee, logger }),
      attestationAdmin: attestationAdminOf(attestationService, rvps),
      sessionTimeoutMinutes: as.timeoutMin,
      payloadRequestSizeMiB: config.httpServer.payloadRequestSizeMiB,
      extraTeeKeyPaths: config.attestationToken.extraTeekeyPaths,
      now,
      logger,
      metrics: createMetricsRegistry(),
      ...authRateLimitOf(config, logger),
    })
    const sweeper = startSessionSweeper(storages.sessions, {
      intervalMs: options.sessionSweepIntervalMs ?? 60_000,
      now,
      onError: (error) => {
        logger.log('warn', 'session sweep failed', { detail: error instanceof Error ? error.message : String(error) })
      },
    })
    let closed: Promise<void> | undefined
    return {
      app,
      attestationService,
      rvps,
      storage: storages.kbs,
      config,
      logger,
      dataDir,
      ...(generated === undefined ? {} : { adminPrivateKeyPath: generated.privateKeyPath }),
      ...(storages.mainDir === undefined ? {} : { storageDir: storages.mainDir }),
      close: () =>
        (closed ??= (async () => {
          await sweeper.stop()
          await storages.close()
        })()),
    }
  } catch (error) {
    await storages.close()
    throw error
  }
}
