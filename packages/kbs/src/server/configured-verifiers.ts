import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { createNvidiaDpuVerifier, VerificationError, type Verifier } from '@carapace/attestation-service'
import type { Tee } from '@carapace/protocol'
import type { VerifierConfig } from '../config/index.ts'
import type { KbsLogger } from '../http/kbs-logger.ts'
import { KbsServerError } from './server-error.ts'

const KEY = 'attestation_service.verifier_config.nvidia_dpu_verifier'

function invalid(configPath: string | undefined, key: string, what: string, cause?: unknown): KbsServerError {
  const prefix = configPath === undefined ? '' : `${configPath}: `
  return new KbsServerError('INVALID_ARGUMENT', `${prefix}${KEY}.${key}: ${what}`, { cause })
}

/**
 * The verifiers `verifier_config` configures beyond collateral: `nvidia_dpu_verifier` (its
 * `root_ca_cert_path` PEM is read once, at start-up; a relative path is taken from the working
 * directory, like the other paths of the config). Without that section the `nvidia-dpu` verifier
 * has no root CA and refuses every DPU evidence with COLLATERAL_UNAVAILABLE.
 */
export async function configuredVerifiers(
  config: VerifierConfig,
  configPath: string | undefined,
  logger: KbsLogger,
): Promise<Partial<Record<Tee, Verifier>>> {
  const dpu = config.nvidiaDpuVerifier
  if (dpu === undefined) return {}
  if (dpu.rootCaCertPath === undefined) {
    throw invalid(configPath, 'root_ca_cert_path', 'missing (the PEM file of the DPU manufacturer root CA)')
  }
  const path = resolve(dpu.rootCaCertPath)
  let rootCa: Uint8Array
  try {
    rootCa = new Uint8Array(await readFile(path))
  } catch (cause) {
    throw invalid(configPath, 'root_ca_cert_path', `cannot read ${path}`, cause)
  }
  try {
    const verifier = createNvidiaDpuVerifier({
      rootCa,
      ...(dpu.maxCertAgeSecs === undefined ? {} : { maxCertAgeSecs: dpu.maxCertAgeSecs }),
    })
    logger.log('info', 'nvidia-dpu verifier: DICE chains must end at the configured root CA', {
      rootCaCertPath: path,
      maxCertAgeSecs: dpu.maxCertAgeSecs ?? 3600,
    })
    return { 'nvidia-dpu': verifier }
  } catch (cause) {
    if (cause instanceof VerificationError) throw invalid(configPath, 'root_ca_cert_path', cause.message, cause)
    throw cause
  }
}
