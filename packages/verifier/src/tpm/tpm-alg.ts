/** TPM_ALG_ID values Carapace understands (TPM 2.0 Part 2, table 9). */
export const TPM_ALG = {
  RSASSA: 0x0014,
  RSAPSS: 0x0016,
  ECDSA: 0x0018,
  SHA1: 0x0004,
  SHA256: 0x000b,
  SHA384: 0x000c,
  SHA512: 0x000d,
} as const

export type TpmHashName = 'sha1' | 'sha256' | 'sha384' | 'sha512'

const HASHES: ReadonlyMap<number, { name: TpmHashName; size: number }> = new Map([
  [TPM_ALG.SHA1, { name: 'sha1', size: 20 }],
  [TPM_ALG.SHA256, { name: 'sha256', size: 32 }],
  [TPM_ALG.SHA384, { name: 'sha384', size: 48 }],
  [TPM_ALG.SHA512, { name: 'sha512', size: 64 }],
])

/** The node:crypto name and digest size of a TPM hash algorithm, or undefined for others. */
export function tpmHash(alg: number): { name: TpmHashName; size: number } | undefined {
  return HASHES.get(alg)
}

export function hex16(value: number): string {
  return `0x${value.toString(16).padStart(4, '0')}`
}
