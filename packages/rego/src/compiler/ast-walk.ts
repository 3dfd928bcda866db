import type { Body, Expr, Rule, Term } from '../ast/ast.ts'

/** The terms written directly in an expression, `with` targets and values included. */
export function exprTerms(e: Expr): Term[] {
  const k = e.kind
  const out: Term[] = []
  switch (k.type) {
    case 'term':
      out.push(k.term)
      break
    case 'unify':
    case 'assign':
      out.push(k.lhs, k.rhs)
      break
    case 'some':
      out.push(...k.vars)
      break
    case 'somein':
      if (k.key) out.push(k.key)
      out.push(k.value, k.collection)
      break
    case 'every':
      if (k.key) out.push(k.key)
      out.push(k.value, k.domain)
      break
  }
  for (const w of e.with) out.push(w.target, w.value)
  return out
}

/** Call f for each comprehension in t that is not inside another one. */
export function forEachComprehension(t: Term, f: (c: Term) => void): void {
  switch (t.type) {
    case 'arraycompr':
    case 'setcompr':
    case 'objectcompr':
      f(t)
      return
    case 'ref':
      forEachComprehension(t.head, f)
      for (const p of t.path) forEachComprehension(p, f)
      return
    case 'array':
    case 'set':
      for (const x of t.items) forEachComprehension(x, f)
      return
    case 'object':
      for (const e of t.entries) {
        forEachComprehension(e.key, f)
        forEachComprehension(e.value, f)
      }
      return
    case 'call':
      for (const a of t.args) forEachComprehension(a, f)
      return
    default:
      return
  }
}

/** Every expression of a rule: its bodies, `else` bodies, and the bodies nested in them or its head. */
export function forEachExpr(rule: Rule, f: (e: Expr) => void): void {
  const inTerm = (t: Term): void => {
    forEachComprehension(t, (c) => {
      if (c.type === 'objectcompr') {
        inTerm(c.key)
        inTerm(c.value)
        inBody(c.body)
      } else if (c.type === 'arraycompr' || c.type === 'setcompr') {
        inTerm(c.term)
        inBody(c.body)
      }
    })
  }
  const inBody = (b: Body): void => {
    for (const e of b) {
      f(e)
      for (const t of exprTerms(e)) inTerm(t)
      if (e.kind.type === 'every') inBody(e.kind.body)
    }
  }
  const h = rule.head
  for (const t of [...h.ref, ...(h.args ?? []), h.key, h.value]) if (t) inTerm(t)
  inBody(rule.body)
  for (const e of rule.elses) {
    if (e.value) inTerm(e.value)
    inBody(e.body)
  }
}
