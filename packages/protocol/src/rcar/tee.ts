import { ProtocolError } from '../errors.ts'
import { expectString } from './wire-fields.ts'

/**
 * TEE wire names (kbs-types 0.18 `Tee`, serde lowercase plus explicit hyphenated renames).
 * `nvidia-dpu` follows Trustee's verifier (`Tee::NvidiaDpu`, claim key `nvidia-dpu`); `sev` was
 * removed upstream and is refused.
 */
export const TEE_NAMES = [
  'az-snp-vtpm',
  'az-tdx-vtpm',
  'nvidia',
  'nvidia-dpu',
  'sgx',
  'snp',
  'tdx',
  'cca',
  'csv',
  'se',
  'hygondcu',
  'tpm',
  'sample',
  'sampledevice',
] as const

export type Tee = (typeof TEE_NAMES)[number]

const TEE_SET: ReadonlySet<string> = new Set(TEE_NAMES)

export function isTee(value: unknown): value is Tee {
  return typeof value === 'string' && TEE_SET.has(value)
}

/** A string that is not one of `TEE_NAMES` gives `UNSUPPORTED_TEE`; a non-string `MALFORMED`. */
export function parseTee(value: unknown, field = 'tee'): Tee {
  const name = expectString(value, field)
  if (!isTee(name)) throw new ProtocolError('UNSUPPORTED_TEE', `${field}: unknown TEE ${JSON.stringify(name)}`)
  return name
}
