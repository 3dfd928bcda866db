import { createHash } from 'node:crypto'
import { compile, createRuleExplainer, RegoError, type CompiledPolicy, type RuleExplainer } from '@carapace/rego'
import { KbsError } from '../http/errors.ts'

export const RESOURCE_POLICY_FILE = 'resource-policy.rego'
export const ALLOW_RULE = 'data.policy.allow'
const MAX_ENTRIES = 8

/** A resource policy compiled once; its explainer is built on the first denial. */
export interface CachedResourcePolicy {
  readonly digest: string
  readonly policy: CompiledPolicy
  explainer(): RuleExplainer
}

const cache = new Map<string, CachedResourcePolicy>()

/**
 * The compiled policy for this text, keyed by its SHA-256 (several KBS apps in one process, or a
 * policy switched back and forth, each keep theirs). Invalid text is a PolicyEngineError.
 */
export function compiledResourcePolicy(text: string): CachedResourcePolicy {
  const digest = createHash('sha256').update(text).digest('hex')
  const hit = cache.get(digest)
  if (hit !== undefined) {
    cache.delete(digest)
    cache.set(digest, hit)
    return hit
  }
  const sources = [{ name: RESOURCE_POLICY_FILE, text }]
  let policy: CompiledPolicy
  try {
    policy = compile(sources)
  } catch (cause) {
    const detail = cause instanceof RegoError ? cause.toString() : 'does not compile'
    throw new KbsError('POLICY_ENGINE', `invalid resource policy: ${detail}`, { cause })
  }
  let explainer: RuleExplainer | undefined
  const entry: CachedResourcePolicy = {
    digest,
    policy,
    explainer: () => (explainer ??= createRuleExplainer(sources, ALLOW_RULE)),
  }
  cache.set(digest, entry)
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value ?? digest)
  return entry
}
