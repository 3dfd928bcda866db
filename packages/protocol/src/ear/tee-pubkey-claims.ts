import { parseTeePubKey, type WireTeePubKey } from '../rcar/tee-pubkey.ts'
import { resolveJsonPointer } from './json-pointer.ts'

/**
 * Where Trustee's KBS looks for the TEE key in verified token claims (`kbs/src/token/mod.rs`),
 * after the configured `extra_teekey_paths`: Intel TA, Intel TA vTPM, legacy CoCo token, EAR, bare.
 */
export const BUILTIN_TEE_PUBKEY_PATHS = [
  '/tdx/attester_runtime_data/tee-pubkey',
  '/tdx/attester_user_data/tee-pubkey',
  '/customized_claims/runtime_data/tee-pubkey',
  '/submods/cpu0/ear.veraison.annotated-evidence/runtime_data_claims/tee-pubkey',
  '/tee-pubkey',
] as const

/**
 * The first path (extras first, then the built-ins) that resolves decides: its value must be a
 * valid `tee-pubkey` (else `ProtocolError('MALFORMED')` naming the path — later paths are not
 * tried, as upstream). Returns `undefined` when no path resolves.
 */
export function teePubKeyFromClaims(claims: unknown, extraPaths: readonly string[] = []): WireTeePubKey | undefined {
  for (const path of [...extraPaths, ...BUILTIN_TEE_PUBKEY_PATHS]) {
    const value = resolveJsonPointer(claims, path)
    if (value !== undefined) return parseTeePubKey(value, `claims${path}`)
  }
  return undefined
}
