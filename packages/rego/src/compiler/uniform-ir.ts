import type { CExpr, CExprKind, CTerm } from './ir.ts'

/*
 * The evaluator dispatches on `t.k` of every term and `e.kind.k` of every expression. Object
 * literals of different fields get different hidden classes in V8, which makes those loads
 * megamorphic (slow, uncached). The compiler passes every node it builds through these, so
 * that every term has one layout and every expression another: the same fields in the same
 * order, unused ones undefined. The types stay the discriminated unions of ir.ts.
 */

type AnyTerm = { -readonly [P in AllKeys<CTerm>]: unknown }
type AnyKind = { -readonly [P in AllKeys<CExprKind>]: unknown }
type AllKeys<T> = T extends unknown ? keyof T : never

/** The term `t` in the one layout of all terms (its parts are taken as they are). */
export function uniformTerm(t: CTerm): CTerm {
  const x = t as Partial<AnyTerm>
  const o: AnyTerm = {
    k: t.k,
    v: x.v,
    slot: x.slot,
    name: x.name,
    head: x.head,
    path: x.path,
    items: x.items,
    entries: x.entries,
    term: x.term,
    body: x.body,
    key: x.key,
    value: x.value,
    fn: x.fn,
    args: x.args,
    loc: x.loc,
  }
  return o as CTerm
}

/** The expression `e` with its kind in the one layout of all expression kinds. */
export function uniformExpr(e: CExpr): CExpr {
  const x = e.kind as Partial<AnyKind>
  const kind: AnyKind = {
    k: e.kind.k,
    term: x.term,
    lhs: x.lhs,
    rhs: x.rhs,
    fn: x.fn,
    args: x.args,
    out: x.out,
    key: x.key,
    value: x.value,
    coll: x.coll,
    domain: x.domain,
    body: x.body,
  }
  return { kind: kind as CExprKind, negated: e.negated, with: e.with, loc: e.loc }
}
