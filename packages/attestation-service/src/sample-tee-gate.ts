import type { Tee, TrustworthinessVector } from '@carapace/protocol'

/** AR4SI hardware 97: "not genuine/supported hardware" (contraindicated). */
export const SAMPLE_TEE_HARDWARE_CLAIM = 97

export const SAMPLE_TEE_GATE_REASON =
  'sample evidence comes from no real TEE: hardware is set to 97 (contraindicated) so it is never affirming; ' +
  'start the KBS with --insecure-allow-sample-tee (insecureAllowSampleTee) to appraise it by the policy alone, for development only'

export function isSampleTee(tee: Tee): boolean {
  return tee === 'sample' || tee === 'sampledevice'
}

/**
 * The sample TEE gate: unless the operator allowed it, an appraisal of sample evidence gets
 * hardware 97 whatever its policy said. Returns the vector to sign and, when capped, why.
 */
export function gateSampleTee(
  tee: Tee,
  vector: TrustworthinessVector,
  allowSample: boolean,
): { readonly trustVector: TrustworthinessVector; readonly capped: boolean } {
  if (allowSample || !isSampleTee(tee)) return { trustVector: vector, capped: false }
  return { trustVector: { ...vector, hardware: SAMPLE_TEE_HARDWARE_CLAIM }, capped: true }
}
