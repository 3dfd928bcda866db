import type { Expr, Rule, RuleHead, Term } from '../ast/ast.ts'
import type { RuleSyntax } from './rule-check.ts'
import { refText, termText, valueName } from './term-text.ts'

/** Builtins that operators become: a statement calling one cannot define a rule. */
const OPERATOR_BUILTINS = new Set([
  'equal',
  'neq',
  'lt',
  'lte',
  'gt',
  'gte',
  'or',
  'and',
  'plus',
  'minus',
  'mul',
  'div',
  'rem',
  'internal.member_2',
  'internal.member_3',
])

export type RuleFromExpr =
  | { readonly ok: true; readonly rule: Rule; readonly syntax: RuleSyntax }
  | { readonly ok: false; readonly message: string }

function refTerms(term: Term): readonly Term[] {
  return term.type === 'ref' ? [term.head, ...term.path] : [term]
}

/** The rule head path for a call's dotted name: `a.b.f` is [var a, "b", "f"]. */
function callRef(term: Term & { type: 'call' }): Term[] {
  const [first, ...rest] = term.name
  return [
    { type: 'var', name: first ?? '', loc: term.loc },
    ...rest.map((s): Term => ({ type: 'string', value: s, loc: term.loc })),
  ]
}

/**
 * Reads a statement that is not a rule with a body as a rule, as OPA's ParseRuleFromExpr does:
 * `p := 1`, `p[k] = v`, `f(x) = y`, `a.b.c` (true), `p[x]` (partial set), `f(x)` (true).
 */
export function ruleFromExpr(expr: Expr): RuleFromExpr {
  const fail = (message: string): RuleFromExpr => ({ ok: false, message })
  if (expr.with.length > 0) return fail('expressions using with keyword cannot be used for rule head')
  if (expr.negated) return fail('negated expressions cannot be used for rule head')
  const kind = expr.kind
  const loc = expr.loc
  const make = (
    head: Omit<RuleHead, 'loc' | 'key' | 'contains' | 'assign'> & { key?: Term; assign?: boolean },
    generatedValue: boolean,
  ): RuleFromExpr => {
    const ref = head.ref
    const first = ref[0]
    const multiValue = head.key !== undefined
    const rule: Rule = {
      head: {
        ref,
        args: head.args,
        key: head.key,
        value: head.value,
        assign: head.assign ?? false,
        contains: multiValue,
        loc,
      },
      body: [],
      isDefault: false,
      elses: [],
      loc,
    }
    const syntax: RuleSyntax = {
      loc,
      name: first?.type === 'var' && ref.length <= 2 ? first.name : undefined,
      isFunction: (head.args?.length ?? 0) > 0,
      isDefault: false,
      hasIf: false,
      generatedBody: true,
      generatedValue,
      usesContains: false,
      multiValue,
    }
    return { ok: true, rule, syntax }
  }
  switch (kind.type) {
    case 'some':
    case 'somein':
      return fail("'some' declarations cannot be used for rule head")
    case 'every':
      return fail('expression cannot be used for rule head')
    case 'term': {
      const term = kind.term
      if (term.type === 'ref') {
        if (term.head.type !== 'var') return fail(`invalid rule head: ${termText(term)}`)
        if (term.path.length > 1) return make({ ref: refTerms(term), args: undefined, value: undefined }, true)
        return make({ ref: [term.head], args: undefined, value: undefined, key: term.path[0] }, false)
      }
      if (term.type === 'call') {
        if (OPERATOR_BUILTINS.has(term.name.join('.'))) return fail('rule name conflicts with built-in function')
        if (term.args.length === 0) return fail('rule argument list must take at least one argument')
        return make({ ref: callRef(term), args: term.args, value: undefined }, false)
      }
      if (term.type === 'var' && (term.name === 'input' || term.name === 'data')) {
        return fail('refs cannot be used for rule head')
      }
      return fail(`${valueName(term)} cannot be used for rule name`)
    }
    case 'unify':
    case 'assign': {
      const { lhs, rhs } = kind
      const assign = kind.type === 'assign'
      if (lhs.type === 'call') return make({ ref: callRef(lhs), args: lhs.args, value: rhs, assign }, false)
      if (lhs.type === 'ref') {
        if (lhs.head.type !== 'var') return fail(`invalid rule head: ${refText(refTerms(lhs))}`)
        return make({ ref: refTerms(lhs), args: undefined, value: rhs, assign }, false)
      }
      if (lhs.type === 'var') return make({ ref: [lhs], args: undefined, value: rhs, assign }, false)
      return fail(`${valueName(lhs)} cannot be used for rule name`)
    }
  }
}
