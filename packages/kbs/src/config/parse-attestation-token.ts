import type { ConfigReader } from './config-reader.ts'
import type { AttestationTokenConfig } from './model.ts'

// Values old releases accepted for `attestation_token_type`; the verifier no longer needs it.
const TOKEN_TYPES = new Map<string, string>([
  ['CoCo', 'CoCo'],
  ['Jwk', 'Jwk'],
  ['Ear', 'Ear'],
])

/**
 * `[attestation_token]` (v0.10+) or the pre-v0.10 `[attestation_token_config]`. Older spellings:
 * `insecure_key` (renamed `insecure_header_jwk`), `attestation_token_type` and `type` (no
 * longer read).
 */
export function parseAttestationToken(reader: ConfigReader | undefined): AttestationTokenConfig {
  if (reader === undefined) {
    return { trustedCertsPaths: [], trustedJwkSets: [], extraTeekeyPaths: [], insecureHeaderJwk: false }
  }
  if (reader.has('attestation_token_type')) {
    reader.deprecated('attestation_token_type', 'no longer read; the token format is detected from the token')
    reader.choice('attestation_token_type', TOKEN_TYPES)
  }
  if (reader.has('type')) {
    reader.deprecated('type', 'no longer read (the old name of attestation_token_type)')
    reader.choice('type', TOKEN_TYPES)
  }
  if (reader.has('insecure_api')) {
    // Upstream's own sample config once had this admin key here; releases without
    // deny_unknown_fields ignored it.
    reader.deprecated('insecure_api', 'not an attestation_token key (admin.insecure_api?); ignored')
    reader.boolean('insecure_api')
  }
  if (reader.has('insecure_key')) {
    reader.deprecated('insecure_key', 'renamed insecure_header_jwk; mapped')
  }
  const insecureKey = reader.boolean('insecure_key')
  const insecureHeaderJwk = reader.boolean('insecure_header_jwk')
  if (insecureKey !== undefined && insecureHeaderJwk !== undefined && insecureKey !== insecureHeaderJwk) {
    throw reader.error('insecure_key', 'conflicts with insecure_header_jwk')
  }
  const config: AttestationTokenConfig = {
    trustedCertsPaths: reader.stringArray('trusted_certs_paths') ?? [],
    trustedJwkSets: reader.stringArray('trusted_jwk_sets') ?? [],
    extraTeekeyPaths: reader.stringArray('extra_teekey_paths') ?? [],
    insecureHeaderJwk: insecureHeaderJwk ?? insecureKey ?? false,
  }
  reader.finish()
  return config
}
