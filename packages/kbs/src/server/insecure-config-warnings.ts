import type { KbsConfig } from '../config/index.ts'

/**
 * The loud start-up lines for config settings that switch a protection off (plain HTTP is warned
 * where the sockets are opened). Upstream development configs carry these, so a copied config must
 * not silently run a production KBS without them.
 */
export function insecureConfigWarnings(config: KbsConfig): string[] {
  const warnings: string[] = []
  if (config.admin.authorizationMode === 'InsecureAllowAll') {
    warnings.push(
      'INSECURE: [admin] authorization_mode = "InsecureAllowAll"; anyone who reaches the KBS can use the admin API (store and delete secrets, set policies and reference values)',
    )
  }
  if (config.attestationToken.insecureHeaderJwk) {
    warnings.push(
      'INSECURE: [attestation_token] insecure_header_jwk = true; a token is checked against the key in its own header, so anyone can forge an attestation token and receive secrets',
    )
  }
  return warnings
}
