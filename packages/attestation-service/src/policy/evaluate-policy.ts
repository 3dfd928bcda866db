import { AR4SI_CLAIMS, type Ar4siClaim, type JsonValue, type TrustworthinessVector } from '@carapace/protocol'
import { RegoError, fromJS, toJS, type CompiledPolicy, type RuleExplanation, type Value } from '@carapace/rego'
import type { ReferenceValueLookup } from '@carapace/rvps'
import { AttestationServiceError } from '../errors.ts'
import type { CachedPolicy } from './compiled-policy-cache.ts'

/** How one `query_reference_value` call was answered. */
export interface ReferenceValueOutcome {
  readonly id: string
  readonly status: ReferenceValueLookup['status']
  readonly expiration?: string
}

/**
 * Where a trust claim came from: `rule` when a rule set it for this input, `default` when it is
 * the value the policy gives an empty input with no reference values (its `default` rules),
 * `unset` when `trust_claims` has no such key (counts as 0).
 */
export interface TrustClaimExplanation {
  readonly value: number
  readonly source: 'rule' | 'default' | 'unset'
  /**
   * For a warning or contraindicated value (32 and up): the policy rule named like the claim
   * (`file-system` → `data.policy.file_system`), each of its bodies with the first expression
   * that failed and the input values it read.
   */
  readonly rule?: RuleExplanation
}

export interface PolicyExplanation {
  readonly policyId: string
  /** True when `data.policy.trust_claims` was undefined (every claim 0). */
  readonly trustClaimsUndefined: boolean
  readonly trustClaims: Record<Ar4siClaim, TrustClaimExplanation>
  readonly referenceValues: readonly ReferenceValueOutcome[]
}

export interface PolicyExtension {
  readonly name: string
  readonly key: number
  readonly value: JsonValue
}

export interface PolicyOutcome {
  /** The claims the policy set (all eight at 0 when `trust_claims` is undefined). */
  readonly trustVector: TrustworthinessVector
  readonly extensions: readonly PolicyExtension[]
  readonly explanation: PolicyExplanation
}

export type LookupReferenceValue = (id: string) => Promise<ReferenceValueLookup>

/** More rounds than any policy needs: each round adds at least one newly asked reference value. */
const MAX_ROUNDS = 64
/** At most this many ids are remembered per policy for the next evaluation's prefetch. */
const MAX_PREFETCH_IDS = 256

/**
 * The reference-value ids each compiled policy asked for in its last evaluation, in the order
 * they were first asked. Ids only, never values: the next evaluation of the same policy looks
 * them all up at once (values always fresh from the RVPS) before its first round, so a policy
 * that asks for the same ids as last time is evaluated once instead of once per round. Ids the
 * policy does not ask for this time are fetched in vain but not reported; new ones still take a
 * round. Keyed by the compiled policy object, so a changed policy text starts empty.
 */
const askedLastTime = new WeakMap<CachedPolicy, readonly string[]>()

/**
 * Evaluates `data.policy.trust_claims` and `data.policy.extensions`. The engine is synchronous
 * and the RVPS is not, so the policy is evaluated in rounds: ids not yet looked up answer null
 * and are fetched, then the policy is evaluated again, until a round asks for nothing new.
 */
export async function evaluatePolicy(
  cached: CachedPolicy,
  policyId: string,
  input: JsonValue,
  lookup: LookupReferenceValue,
): Promise<PolicyOutcome> {
  const inputValue = fromJS(input)
  const known = new Map<string, ReferenceValueLookup>()
  const prefetch = askedLastTime.get(cached) ?? []
  // A failed prefetch is dropped: the id is looked up again (and fails) only if the policy asks.
  const prefetched = await Promise.allSettled(prefetch.map(lookup))
  prefetch.forEach((id, i) => {
    const settled = prefetched[i]
    if (settled?.status === 'fulfilled') known.set(id, settled.value)
  })
  const asked = new Set<string>()
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const missing = new Set<string>()
    const resolver = (id: string): unknown => {
      asked.add(id)
      const found = known.get(id)
      if (found === undefined) {
        missing.add(id)
        return null
      }
      return found.status === 'found' ? found.value : null
    }
    const result = cached.withResolver(resolver, (policy) => ({
      trustClaims: optionalRule(policy, policyId, 'data.policy.trust_claims', inputValue),
      extensions: optionalRule(policy, policyId, 'data.policy.extensions', inputValue),
    }))
    if (missing.size === 0) {
      const baseline = defaultTrustClaims(cached, policyId)
      // In lookup order (prefetched ids first, in the order the policy first asked them last time).
      const reported = [...known].filter(([id]) => asked.has(id))
      askedLastTime.set(
        cached,
        reported.slice(0, MAX_PREFETCH_IDS).map(([id]) => id),
      )
      const referenceValues = reported.map(([id, outcome]) => ({
        id,
        status: outcome.status,
        ...(outcome.status === 'absent' ? {} : { expiration: outcome.expiration }),
      }))
      const outcome = outcomeOf(policyId, result.trustClaims, result.extensions, baseline, referenceValues)
      return withRuleExplanations(cached, resolver, inputValue, outcome)
    }
    for (const id of missing) known.set(id, await lookup(id))
  }
  throw new AttestationServiceError('POLICY_EVALUATION', `policy ${policyId}: too many reference value rounds`)
}

/** AR4SI: from 32 up a trust claim is warning (32–95) or contraindicated (96–127). */
const NOT_AFFIRMING_FROM = 32

/** Best effort: an explanation that cannot be computed is left out, never fails the appraisal. */
function withRuleExplanations(
  cached: CachedPolicy,
  resolver: (id: string) => unknown,
  input: Value,
  outcome: PolicyOutcome,
): PolicyOutcome {
  const claims = { ...outcome.explanation.trustClaims }
  for (const claim of AR4SI_CLAIMS) {
    const explained = claims[claim]
    if (explained.value < NOT_AFFIRMING_FROM) continue
    try {
      const rule = cached.withResolver(resolver, () =>
        cached.explainer(`data.policy.${claim.replace(/-/g, '_')}`).explain({ input }),
      )
      claims[claim] = { ...explained, rule }
    } catch {
      // e.g. a policy whose trust_claims come from differently named rules
    }
  }
  return { ...outcome, explanation: { ...outcome.explanation, trustClaims: claims } }
}

function optionalRule(policy: CompiledPolicy, policyId: string, path: string, input: Value): unknown {
  try {
    const value = policy.evalRule(path, { input })
    return value === undefined ? undefined : toJS(value)
  } catch (cause) {
    if (
      cause instanceof RegoError &&
      cause.code === 'invalid_argument' &&
      /not a valid rule path/.test(cause.message)
    ) {
      return undefined
    }
    const reason = cause instanceof Error ? cause.message : String(cause)
    throw new AttestationServiceError('POLICY_EVALUATION', `policy ${policyId}: ${reason}`, { cause })
  }
}

/** Per compiled policy: it only labels claims in the explanation, and depends on the policy text alone. */
const baselines = new WeakMap<CachedPolicy, Partial<Record<Ar4siClaim, number>>>()

/** The claims the policy gives when no rule fires (empty input, no reference values). */
function defaultTrustClaims(cached: CachedPolicy, policyId: string): Partial<Record<Ar4siClaim, number>> {
  let baseline = baselines.get(cached)
  if (baseline === undefined) {
    baseline = computeDefaultTrustClaims(cached, policyId)
    baselines.set(cached, baseline)
  }
  return baseline
}

function computeDefaultTrustClaims(cached: CachedPolicy, policyId: string): Partial<Record<Ar4siClaim, number>> {
  try {
    const raw = cached.withResolver(
      () => null,
      (policy) => optionalRule(policy, policyId, 'data.policy.trust_claims', fromJS({})),
    )
    return raw === undefined ? {} : trustClaimsOf(policyId, raw)
  } catch {
    return {}
  }
}

function trustClaimsOf(policyId: string, raw: unknown): Partial<Record<Ar4siClaim, number>> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new AttestationServiceError('POLICY_EVALUATION', `policy ${policyId}: trust_claims is not an object`)
  }
  const claims: Partial<Record<Ar4siClaim, number>> = {}
  for (const [name, value] of Object.entries(raw)) {
    const claim = AR4SI_CLAIMS.find((c) => c === name)
    if (claim === undefined) {
      throw new AttestationServiceError(
        'POLICY_EVALUATION',
        `policy ${policyId}: unknown trust claim ${JSON.stringify(name)}`,
      )
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < -127 || value > 127) {
      throw new AttestationServiceError(
        'POLICY_EVALUATION',
        `policy ${policyId}: trust claim ${name} must be an integer in -127..127`,
      )
    }
    claims[claim] = value
  }
  return claims
}

function extensionsOf(policyId: string, raw: unknown): PolicyExtension[] {
  if (raw === undefined) return []
  if (!Array.isArray(raw))
    throw new AttestationServiceError('POLICY_EVALUATION', `policy ${policyId}: extensions is not an array`)
  return raw.map((entry: unknown, index) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new AttestationServiceError(
        'POLICY_EVALUATION',
        `policy ${policyId}: extensions[${index}] is not an object`,
      )
    }
    const { name, key, value } = entry as Record<string, unknown>
    if (typeof name !== 'string' || typeof key !== 'number' || !Number.isInteger(key)) {
      throw new AttestationServiceError(
        'POLICY_EVALUATION',
        `policy ${policyId}: extensions[${index}] needs a string name and an integer key`,
      )
    }
    return { name, key, value: (value ?? null) as JsonValue }
  })
}

function outcomeOf(
  policyId: string,
  rawClaims: unknown,
  rawExtensions: unknown,
  baseline: Partial<Record<Ar4siClaim, number>>,
  referenceValues: ReferenceValueOutcome[],
): PolicyOutcome {
  const claims = rawClaims === undefined ? {} : trustClaimsOf(policyId, rawClaims)
  if (rawClaims !== undefined && Object.keys(claims).length === 0) {
    // Upstream: "At least one policy claim must be set."
    throw new AttestationServiceError('POLICY_EVALUATION', `policy ${policyId}: trust_claims sets no claim`)
  }
  const trustVector: TrustworthinessVector = {}
  const explained = {} as Record<Ar4siClaim, TrustClaimExplanation>
  for (const claim of AR4SI_CLAIMS) {
    const value = claims[claim]
    if (value !== undefined || rawClaims === undefined) trustVector[claim] = value ?? 0
    explained[claim] =
      value === undefined
        ? { value: 0, source: 'unset' }
        : { value, source: baseline[claim] === value ? 'default' : 'rule' }
  }
  return {
    trustVector,
    extensions: extensionsOf(policyId, rawExtensions),
    explanation: { policyId, trustClaimsUndefined: rawClaims === undefined, trustClaims: explained, referenceValues },
  }
}
