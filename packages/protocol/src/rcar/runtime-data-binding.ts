import { createHash } from 'node:crypto'
import { ProtocolError } from '../errors.ts'
import { canonicalize } from '../jcs/canonicalize.ts'
import { isJsonObject } from '../jcs/json-value.ts'
import type { Challenge } from './challenge.ts'
import { teePubKeyToWire, type WireTeePubKey } from './tee-pubkey.ts'

export type RuntimeDataHash = 'sha256' | 'sha384' | 'sha512'

/** Used when the challenge does not select one (guest-components `DEFAULT_HASH_ALGORITHM`). */
export const DEFAULT_RUNTIME_DATA_HASH: RuntimeDataHash = 'sha384'

export interface RuntimeDataInput {
  nonce: string
  teePubKey: WireTeePubKey
  /** Present (possibly `""`) for the primary evidence; absent for device evidence. */
  additionalEvidence?: string
}

/** The structured runtime data the AS hashes (and exposes as `runtime_data_claims`). */
export function runtimeDataObject(input: RuntimeDataInput): Record<string, unknown> {
  const object: Record<string, unknown> = { nonce: input.nonce, 'tee-pubkey': teePubKeyToWire(input.teePubKey) }
  if (input.additionalEvidence !== undefined) object['additional-evidence'] = input.additionalEvidence
  return object
}

/** `hash(JCS(runtime data))`: the report data a TEE quote must carry (before per-TEE padding). */
export function runtimeDataBinding(input: RuntimeDataInput, hash: RuntimeDataHash): Uint8Array {
  return createHash(hash)
    .update(canonicalize(runtimeDataObject(input)), 'utf8')
    .digest()
}

const HASH_NAMES: ReadonlySet<string> = new Set(['sha256', 'sha384', 'sha512'])

/**
 * The hash named by `extra-params.selected-hash-algorithm` (case-insensitive), else sha384.
 * A non-string value is `MALFORMED`; an unknown name, and `sm3` (accepted upstream but not
 * offered by Carapace), is `UNSUPPORTED_ALGORITHM`.
 */
export function selectedHashAlgorithm(challenge: Challenge): RuntimeDataHash {
  const params = challenge.extraParams
  if (!isJsonObject(params) || !('selected-hash-algorithm' in params)) return DEFAULT_RUNTIME_DATA_HASH
  const value = params['selected-hash-algorithm']
  if (typeof value !== 'string') {
    throw new ProtocolError('MALFORMED', 'Challenge.extra-params.selected-hash-algorithm: expected a string')
  }
  const name = value.toLowerCase()
  if (!isRuntimeDataHash(name)) {
    throw new ProtocolError(
      'UNSUPPORTED_ALGORITHM',
      `Challenge.extra-params.selected-hash-algorithm: unsupported hash ${JSON.stringify(value)}`,
    )
  }
  return name
}

function isRuntimeDataHash(name: string): name is RuntimeDataHash {
  return HASH_NAMES.has(name)
}
