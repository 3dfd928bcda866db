import { SAMPLE_TEE_HARDWARE_CLAIM } from '@carapace/attestation-service'

/**
 * Why a sample-attester token will not release resources, when the token itself says so: the
 * attestation service's sample TEE gate rates sample evidence hardware 97 unless the KBS runs
 * with --insecure-allow-sample-tee. The claims are read unverified, only to word a hint.
 */
export function sampleTeeGateHint(token: string): string | undefined {
  let claims: unknown
  try {
    claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
  const submods = isObject(claims) ? claims['submods'] : undefined
  if (!isObject(submods)) return undefined
  const gated = Object.keys(submods).filter((name) => {
    const submod = submods[name]
    const vector = isObject(submod) ? submod['ear.trustworthiness-vector'] : undefined
    return isObject(vector) && vector['hardware'] === SAMPLE_TEE_HARDWARE_CLAIM
  })
  if (gated.length === 0) return undefined
  return (
    `the token rates ${gated.join(', ')} hardware ${String(SAMPLE_TEE_HARDWARE_CLAIM)} (no genuine TEE), so it is not affirming: ` +
    'the KBS most likely runs without --insecure-allow-sample-tee, and a resource policy that wants every submodule affirming (the default) denies it'
  )
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
