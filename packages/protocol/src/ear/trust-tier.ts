/** AR4SI trustworthiness claim names, in the `ear` crate's key order (CBOR keys 0..7). */
export const AR4SI_CLAIMS = [
  'instance-identity',
  'configuration',
  'executables',
  'file-system',
  'hardware',
  'runtime-opaque',
  'storage-opaque',
  'sourced-data',
] as const

export type Ar4siClaim = (typeof AR4SI_CLAIMS)[number]

/** Only the claims that were set; an absent claim means "no claim" (value 0). */
export type TrustworthinessVector = Partial<Record<Ar4siClaim, number>>

/** Tiers from best to worst: the `ear.status` of an appraisal. */
export const EAR_STATUSES = ['none', 'affirming', 'warning', 'contraindicated'] as const
export type EarStatus = (typeof EAR_STATUSES)[number]

const AR4SI_SET: ReadonlySet<string> = new Set(AR4SI_CLAIMS)

export function isAr4siClaim(name: string): name is Ar4siClaim {
  return AR4SI_SET.has(name)
}

/**
 * The tier of a claim value, as the `ear` crate's `TrustClaim::tier` computes it. The ranges are
 * half-open on the positive side: −1..1 none, −32..31 affirming, −96..95 warning, the rest
 * contraindicated (so −32 is affirming and −96 warning, while 32 and 96 are not).
 */
export function tierOf(value: number): EarStatus {
  if (value >= -1 && value <= 1) return 'none'
  if (value >= -32 && value < 32) return 'affirming'
  if (value >= -96 && value < 96) return 'warning'
  return 'contraindicated'
}

/** The worst tier over the vector (unset claims count as `none`), as `ear.status` is derived. */
export function statusOf(vector: TrustworthinessVector): EarStatus {
  let worst = 0
  for (const claim of AR4SI_CLAIMS) {
    const value = vector[claim]
    if (value === undefined) continue
    worst = Math.max(worst, EAR_STATUSES.indexOf(tierOf(value)))
  }
  return EAR_STATUSES[worst] ?? 'none'
}
