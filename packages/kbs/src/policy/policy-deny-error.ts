import type { RuleExplanation } from '@carapace/rego'
import { KbsError } from '../http/errors.ts'

/** PolicyDeny with why: the HTTP body stays upstream's, the explanation goes to the log only. */
export class PolicyDenyError extends KbsError {
  readonly explanation: RuleExplanation | undefined
  /** SHA-256 of the policy text that denied. */
  readonly policyDigest: string

  constructor(policyDigest: string, explanation: RuleExplanation | undefined) {
    super('POLICY_DENY', 'Resource policy denied the request')
    this.policyDigest = policyDigest
    this.explanation = explanation
  }
}

/**
 * One line for the operator: `data.policy.allow = false (default at f:3); body f:5 failed at
 * f:8 \`every ...\` with input.submods.cpu0["ear.status"] = "contraindicated"; ...`.
 */
export function formatRuleExplanation(explanation: RuleExplanation): string {
  const head = `${explanation.rule} = ${explanation.value ?? 'undefined'}${
    explanation.defaultAt === undefined ? '' : ` (default at ${explanation.defaultAt})`
  }`
  if (explanation.bodies.length === 0) return `${head}; no rule body defines it`
  const bodies = explanation.bodies.map((body) => {
    if (body.error !== undefined) return `body ${body.location} could not be explained: ${body.error}`
    if (body.failed === undefined) return `body ${body.location} held`
    const values = body.failed.values.map((v) => `${v.ref} = ${v.value ?? 'undefined'}`).join(', ')
    return `body ${body.location} failed at ${body.failed.location} \`${body.failed.text}\`${
      values === '' ? '' : ` with ${values}`
    }`
  })
  return `${head}; ${bodies.join('; ')}`
}
