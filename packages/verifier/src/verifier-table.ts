import type { Tee } from '@carapace/protocol'
import { createAzSnpVtpmVerifier } from './az-snp-vtpm/az-snp-vtpm-verifier.ts'
import { createAzTdxVtpmVerifier } from './az-tdx-vtpm/az-tdx-vtpm-verifier.ts'
import { createCcaVerifier } from './cca/cca-verifier.ts'
import { createCsvVerifier } from './csv/csv-verifier.ts'
import { createHygonDcuVerifier } from './hygondcu/dcu-verifier.ts'
import { createNvidiaVerifier } from './nvidia/nvidia-verifier.ts'
import { createNvidiaDpuVerifier } from './nvidia-dpu/nvidia-dpu-verifier.ts'
import { createSampleVerifier } from './sample/sample-verifier.ts'
import { createSampleDeviceVerifier } from './sampledevice/sampledevice-verifier.ts'
import { createSgxVerifier } from './sgx/sgx-verifier.ts'
import { createSnpVerifier } from './snp/snp-verifier.ts'
import { createTdxVerifier } from './tdx/tdx-verifier.ts'
import { createTpmVerifier } from './tpm/tpm-verifier.ts'
import { VerificationError, type Verifier } from './verifier.ts'

export type VerifierFactory = () => Verifier

/** Every TEE name, with its verifier where Carapace has one (null: its verifier arrives with the hardware verifiers, issue 4). */
export const VERIFIER_FACTORIES = {
  'az-snp-vtpm': createAzSnpVtpmVerifier,
  'az-tdx-vtpm': () => createAzTdxVtpmVerifier(),
  nvidia: createNvidiaVerifier,
  'nvidia-dpu': () => createNvidiaDpuVerifier(),
  sgx: createSgxVerifier,
  snp: createSnpVerifier,
  tdx: createTdxVerifier,
  cca: createCcaVerifier,
  csv: () => createCsvVerifier(),
  se: null,
  hygondcu: () => createHygonDcuVerifier(),
  tpm: createTpmVerifier,
  sample: createSampleVerifier,
  sampledevice: createSampleDeviceVerifier,
} satisfies Record<Tee, VerifierFactory | null>

const instances = new Map<Tee, Verifier>()

/**
 * The verifier of a TEE, one instance per TEE for the process so that what a verifier keeps (CCA
 * trust anchors, SNP VEKs, NVIDIA verified chains) outlives a request; `UNSUPPORTED_TEE` for one without a verifier.
 */
export function verifierFor(tee: Tee): Verifier {
  const existing = instances.get(tee)
  if (existing !== undefined) return existing
  const factory: VerifierFactory | null = VERIFIER_FACTORIES[tee]
  if (factory === null) throw new VerificationError('UNSUPPORTED_TEE', `no verifier for TEE ${JSON.stringify(tee)}`)
  const verifier = factory()
  instances.set(tee, verifier)
  return verifier
}
