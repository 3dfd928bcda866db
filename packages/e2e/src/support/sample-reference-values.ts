import type { KbsAdminClient } from '@carapace/kbs-client'

/**
 * The claims of the sample attester that the default CPU attestation policy compares with
 * reference values (`launch_digest`, `svn`, `platform_version`): with these registered, a sample
 * guest appraises as affirming when the KBS allows the sample TEE.
 */
export const SAMPLE_REFERENCE_VALUES: ReadonlyArray<readonly [string, string | number]> = [
  ['launch_digest', 'abcde'],
  ['svn', '1'],
  ['major_version', 1],
  ['minimum_minor_version', 4],
]

/** An RVPS `sample` message as upstream kbs-client sends it for `set-sample-reference-value`. */
export function sampleReferenceValueMessage(name: string, value: string | number) {
  const provenance = JSON.stringify({ [name]: typeof value === 'number' ? value : [value] })
  return { payload: Buffer.from(provenance, 'utf8').toString('base64'), type: 'sample', version: '0.1.0' }
}

export async function registerSampleReferenceValues(admin: KbsAdminClient): Promise<void> {
  for (const [name, value] of SAMPLE_REFERENCE_VALUES) {
    await admin.setReferenceValue(sampleReferenceValueMessage(name, value))
  }
}
