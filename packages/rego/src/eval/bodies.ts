import type { CBody, CExpr, CExprKind, CTerm } from '../compiler/ir.ts'
import { equal } from '../value/compare.ts'
import { RegoObject, RegoSet, type Value } from '../value/value.ts'
import { MULTI, type Frame, type K, type VK } from './eval-state.ts'
import { Unifier } from './unification.ts'
import { forEachEntry } from './value-access.ts'

/** Returned by an expression that succeeded once and bound what it binds: go on to the next. */
const NEXT: unique symbol = Symbol('next')
type Outcome = boolean | typeof NEXT

const FOUND: K = () => true

/**
 * Rule bodies: expressions in order, negation, `some ... in`, `every`.
 *
 * Most expressions have at most one solution (comparisons, calls, `x := term`, negations,
 * `every`, `print`). A body runs those in a loop, recording the slots they bind on a trail, and
 * only builds a continuation (and a stack frame) for expressions that may have several.
 */
export abstract class BodyEvaluator extends Unifier {
  /** Slots bound by the loop of `body` (up to `trailTop`), unbound again when that call returns. */
  private readonly trail: number[] = []
  private trailTop = 0

  body(b: CBody, i: number, f: Frame, k: K): boolean {
    const mark = this.trailTop
    let out: Outcome = NEXT
    for (; out === NEXT; i++) out = i === b.length ? k() : this.expr(b, i, f, k)
    const trail = this.trail
    for (let j = this.trailTop - 1; j >= mark; j--) f[trail[j] as number] = undefined
    this.trailTop = mark
    return out
  }

  /** The rest of a body after expression i. */
  private rest(b: CBody, i: number, f: Frame, k: K): K {
    return i + 1 === b.length ? k : () => this.body(b, i + 1, f, k)
  }

  /**
   * Run expression i: NEXT when it had exactly one solution, else the result of the body.
   * Kept small (the cases with more locals are methods) so that each level of nesting takes
   * little JS stack.
   */
  private expr(b: CBody, i: number, f: Frame, k: K): Outcome {
    const e = b[i] as CExpr
    this.step(e.loc)
    if (e.with.length > 0) return this.withExpr(e, f, this.rest(b, i, f, k))
    if (e.negated) return this.holds(e, f) ? false : NEXT
    const x = e.kind
    switch (x.k) {
      case 'true':
        return NEXT
      case 'term': {
        const v = this.sync(x.term, f)
        if (v === MULTI) return this.termValues(this.pending(x.term), f, this.rest(b, i, f, k))
        return v === undefined || v === false ? false : NEXT
      }
      case 'unify':
        return this.unifyExpr(x, b, i, f, k)
      case 'print':
        this.doPrint(x.args, f, e.loc)
        return NEXT
      case 'somein': {
        const c = this.sync(x.coll, f)
        if (c === MULTI) {
          const rest = this.rest(b, i, f, k)
          return this.multi(this.pending(x.coll), f, (cv) => this.someIn(x, cv, f, rest))
        }
        return c !== undefined && this.someIn(x, c, f, this.rest(b, i, f, k))
      }
      case 'every': {
        const d = this.sync(x.domain, f)
        if (d === MULTI) {
          const rest = this.rest(b, i, f, k)
          return this.multi(this.pending(x.domain), f, (dv) => (this.everyHolds(x, dv, f) ? rest() : false))
        }
        return d !== undefined && this.everyHolds(x, d, f) ? NEXT : false
      }
      default:
        return this.exprKind(e, f, this.rest(b, i, f, k))
    }
  }

  /** A term expression with several values: the rest of the body runs for each that is not false. */
  private termValues(t: CTerm, f: Frame, rest: K): boolean {
    return this.multi(t, f, (w) => (w === false ? false : rest()))
  }

  /** `=` and `:=`: binding one side to the single value of the other needs no continuation. */
  private unifyExpr(x: CExprKind & { k: 'unify' }, b: CBody, i: number, f: Frame, k: K): Outcome {
    const { lhs, rhs } = x
    if (lhs.k === 'var' && f[lhs.slot] === undefined) {
      const v = this.sync(rhs, f)
      if (v === undefined) return false
      if (v !== MULTI) return this.bind(lhs.slot, v, f)
      return this.multi(this.pending(rhs), f, this.binding(lhs.slot, f, this.rest(b, i, f, k)))
    }
    if (rhs.k === 'var' && f[rhs.slot] === undefined) {
      const v = this.sync(lhs, f)
      if (v === undefined) return false
      if (v !== MULTI) return this.bind(rhs.slot, v, f)
      return this.multi(this.pending(lhs), f, this.binding(rhs.slot, f, this.rest(b, i, f, k)))
    }
    return this.unify(lhs, rhs, f, this.rest(b, i, f, k))
  }

  /** A continuation that binds a slot to each value it gets while `rest` runs (as `match` does). */
  private binding(slot: number, f: Frame, rest: K): VK {
    return (w) => {
      const cur = f[slot]
      if (cur !== undefined) return equal(cur, w) ? rest() : false
      f[slot] = w
      try {
        return rest()
      } finally {
        f[slot] = undefined
      }
    }
  }

  /** Bind a slot for the rest of the body (it may have been bound while its value was computed). */
  private bind(slot: number, v: Value, f: Frame): Outcome {
    const cur = f[slot]
    if (cur !== undefined) return equal(cur, v) ? NEXT : false
    f[slot] = v
    this.trail[this.trailTop++] = slot
    return NEXT
  }

  /** Whether an expression (its negation flag aside) has a solution; it binds nothing. */
  private holds(e: CExpr, f: Frame): boolean {
    const x = e.kind
    if (x.k === 'term') {
      const v = this.sync(x.term, f)
      if (v !== MULTI) return v !== undefined && v !== false
      return this.multi(this.pending(x.term), f, (w) => w !== false)
    }
    return this.exprKind(e, f, FOUND)
  }

  protected exprNoWith(e: CExpr, f: Frame, k: K): boolean {
    if (e.negated) return this.holds(e, f) ? false : k()
    return this.exprKind(e, f, k)
  }

  private exprKind(e: CExpr, f: Frame, k: K): boolean {
    const x = e.kind
    switch (x.k) {
      case 'true':
        return k()
      case 'term': {
        const v = this.sync(x.term, f)
        if (v !== MULTI) return v === undefined || v === false ? false : k()
        return this.multi(this.pending(x.term), f, (w) => (w === false ? false : k()))
      }
      case 'unify':
        return this.unify(x.lhs, x.rhs, f, k)
      case 'callout':
        return this.list(x.args, f, (args) => this.callMulti(x.fn, args, e.loc, (v) => this.match(x.out, v, f, k)))
      case 'print':
        this.doPrint(x.args, f, e.loc)
        return k()
      case 'somein':
        return this.term(x.coll, f, (c) => this.someIn(x, c, f, k))
      case 'every':
        return this.term(x.domain, f, (d) => (this.everyHolds(x, d, f) ? k() : false))
    }
  }

  /** `some k, v in c` for one value of c: the rest of the body runs for each member that matches. */
  private someIn(x: CExprKind & { k: 'somein' }, c: Value, f: Frame, rest: K): boolean {
    const { key: kt, value: vt } = x
    if (kt === undefined && vt.k === 'var' && f[vt.slot] === undefined) {
      const slot = vt.slot
      return forEachEntry(c, (_, val) => {
        this.tick()
        f[slot] = val
        try {
          return rest()
        } finally {
          f[slot] = undefined
        }
      })
    }
    return forEachEntry(c, (key, val) =>
      this.tick() && kt ? this.match(kt, key, f, () => this.match(vt, val, f, rest)) : this.match(vt, val, f, rest),
    )
  }

  /** `every` over one value of its domain: false unless the domain is a collection. */
  private everyHolds(x: CExprKind & { k: 'every' }, d: Value, f: Frame): boolean {
    if (!(Array.isArray(d) || d instanceof RegoObject || d instanceof RegoSet)) return false
    const failed = forEachEntry(d, (key, val) => {
      let ok = false
      const bodyRun = (): boolean =>
        this.match(x.value, val, f, () =>
          this.body(x.body, 0, f, () => {
            ok = true
            return true
          }),
        )
      if (x.key) this.match(x.key, key, f, bodyRun)
      else bodyRun()
      return !ok
    })
    return !failed
  }
}
