import type { CBody, CExpr, CExprKind, CRuleDef, CTerm, CWith, RuleSet } from './ir.ts'

/*
 * The evaluator dispatches on `t.k` of every term and `e.kind.k` of every expression. Object
 * literals of different fields get different hidden classes in V8, which makes those loads
 * megamorphic (slow, uncached). These functions rebuild the IR so that every term has one
 * layout and every expression kind another: the same fields in the same order, unused ones
 * undefined. The types stay the discriminated unions of ir.ts.
 */

type AnyTerm = { -readonly [P in AllKeys<CTerm>]: unknown }
type AnyKind = { -readonly [P in AllKeys<CExprKind>]: unknown }
type AllKeys<T> = T extends unknown ? keyof T : never

function term(t: CTerm): CTerm {
  const o: AnyTerm = {
    k: t.k,
    v: undefined,
    slot: undefined,
    name: undefined,
    head: undefined,
    path: undefined,
    items: undefined,
    entries: undefined,
    term: undefined,
    body: undefined,
    key: undefined,
    value: undefined,
    fn: undefined,
    args: undefined,
    loc: undefined,
  }
  switch (t.k) {
    case 'const':
      o.v = t.v
      break
    case 'var':
      o.slot = t.slot
      o.name = t.name
      break
    case 'ref':
      o.head = term(t.head)
      o.path = t.path.map(term)
      break
    case 'input':
    case 'data':
      o.path = t.path.map(term)
      break
    case 'array':
    case 'set':
      o.items = t.items.map(term)
      break
    case 'object':
      o.entries = t.entries.map(([a, b]) => [term(a), term(b)] as const)
      break
    case 'acompr':
    case 'scompr':
      o.term = term(t.term)
      o.body = uniformBody(t.body)
      break
    case 'ocompr':
      o.key = term(t.key)
      o.value = term(t.value)
      o.body = uniformBody(t.body)
      break
    case 'call':
      o.fn = t.fn
      o.args = t.args.map(term)
      o.loc = t.loc
      break
  }
  return o as CTerm
}

function kind(x: CExprKind): CExprKind {
  const o: AnyKind = {
    k: x.k,
    term: undefined,
    lhs: undefined,
    rhs: undefined,
    fn: undefined,
    args: undefined,
    out: undefined,
    key: undefined,
    value: undefined,
    coll: undefined,
    domain: undefined,
    body: undefined,
  }
  switch (x.k) {
    case 'term':
      o.term = term(x.term)
      break
    case 'unify':
      o.lhs = term(x.lhs)
      o.rhs = term(x.rhs)
      break
    case 'callout':
      o.fn = x.fn
      o.args = x.args.map(term)
      o.out = term(x.out)
      break
    case 'print':
      o.args = x.args.map(term)
      break
    case 'somein':
      o.key = x.key && term(x.key)
      o.value = term(x.value)
      o.coll = term(x.coll)
      break
    case 'every':
      o.key = x.key && term(x.key)
      o.value = term(x.value)
      o.domain = term(x.domain)
      o.body = uniformBody(x.body)
      break
    case 'true':
      break
  }
  return o as CExprKind
}

function withModifier(w: CWith): CWith {
  return { target: w.target, value: w.value.k === 'term' ? { k: 'term', term: term(w.value.term) } : w.value }
}

function expr(e: CExpr): CExpr {
  return { kind: kind(e.kind), negated: e.negated, with: e.with.map(withModifier), loc: e.loc }
}

export function uniformBody(b: CBody): CBody {
  return b.map(expr)
}

function def(d: CRuleDef): CRuleDef {
  return {
    nslots: d.nslots,
    args: d.args?.map(term),
    branches: d.branches.map((br) => ({ body: uniformBody(br.body), value: term(br.value), loc: br.loc })),
    keys: d.keys?.map(term),
    setLeaf: d.setLeaf,
    loc: d.loc,
  }
}

/** Rebuild every definition of the rule sets in place (the sets keep their identity). */
export function uniformRuleSets(sets: readonly RuleSet[]): void {
  for (const rs of sets) {
    for (let i = 0; i < rs.defs.length; i++) rs.defs[i] = def(rs.defs[i] as CRuleDef)
    if (rs.defaultDef) rs.defaultDef = def(rs.defaultDef)
  }
}
