import type { Location } from '../errors.ts'
import { RegoError } from '../errors.ts'
import { isKeywordInVersion } from './keywords.ts'

/** What the v1 checks need to know about how a rule (or an else branch) was written. */
export interface RuleSyntax {
  readonly loc: Location
  /** The rule's name when its head is a plain name (`p`, `p[x]`). */
  readonly name: string | undefined
  readonly isFunction: boolean
  readonly isDefault: boolean
  readonly hasIf: boolean
  /** The rule had no body in the source (`p := 1`, `p contains x`). */
  readonly generatedBody: boolean
  /** The rule had no value in the source (`a.b.c` on its own). */
  readonly generatedValue: boolean
  readonly usesContains: boolean
  readonly multiValue: boolean
}

/** OPA's rule-level Rego v1 checks (keywords required, no keyword names). */
export function checkRegoV1Rule(rule: RuleSyntax): RegoError[] {
  const errors: RegoError[] = []
  const what = rule.isFunction ? 'function' : 'rule'
  const error = (message: string): void => {
    errors.push(new RegoError('rego_parse_error', message, rule.loc))
  }
  if (rule.name !== undefined && isKeywordInVersion(rule.name, 1)) {
    error(`${rule.name} keyword cannot be used for rule name`)
  }
  if (rule.generatedBody && rule.generatedValue) {
    error(`${what} must have value assignment and/or body declaration`)
  }
  if (!rule.generatedBody && !rule.hasIf && !rule.isDefault) {
    error(`\`if\` keyword is required before ${what} body`)
  }
  if (rule.multiValue && !rule.usesContains) {
    error('`contains` keyword is required for partial set rules')
  }
  return errors
}
