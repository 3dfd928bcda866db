import { createHash } from 'node:crypto'
import { compile, createRuleExplainer, type BuiltinDef, type CompiledPolicy, type RuleExplainer } from '@carapace/rego'

/** Answers `query_reference_value(id)` during one evaluation. */
export type ReferenceValueResolver = (id: string) => unknown

/** A compiled policy whose `query_reference_value` asks the resolver set for the current evaluation. */
export interface CachedPolicy {
  readonly policy: CompiledPolicy
  /** Runs `evaluate` with `resolver` answering the host function (evaluation is synchronous). */
  withResolver<T>(resolver: ReferenceValueResolver, evaluate: (policy: CompiledPolicy) => T): T
  /** Explains a rule (e.g. `data.policy.hardware`); built on first use; run it inside `withResolver`. */
  explainer(rulePath: string): RuleExplainer
}

/**
 * Compiled policies by SHA-256 of their text, so a policy is compiled once however often it is
 * evaluated or stored under other ids. Throws the engine's `RegoError` for a policy that does not
 * compile.
 */
export function createCompiledPolicyCache(
  makeHostFunction: (resolve: () => ReferenceValueResolver | undefined) => BuiltinDef,
): { get(text: string): CachedPolicy } {
  const cache = new Map<string, CachedPolicy>()
  return {
    get(text) {
      const hash = createHash('sha256').update(text, 'utf8').digest('hex')
      const hit = cache.get(hash)
      if (hit !== undefined) return hit
      let current: ReferenceValueResolver | undefined
      const sources = [{ name: 'policy.rego', text }]
      const options = { hostFunctions: [makeHostFunction(() => current)] }
      const policy = compile(sources, options)
      const explainers = new Map<string, RuleExplainer>()
      const entry: CachedPolicy = {
        policy,
        explainer(rulePath) {
          let explainer = explainers.get(rulePath)
          if (explainer === undefined) {
            explainer = createRuleExplainer(sources, rulePath, options)
            explainers.set(rulePath, explainer)
          }
          return explainer
        },
        withResolver(resolver, evaluate) {
          const previous = current
          current = resolver
          try {
            return evaluate(policy)
          } finally {
            current = previous
          }
        },
      }
      cache.set(hash, entry)
      return entry
    },
  }
}
