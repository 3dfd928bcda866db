import type { CBody, CExpr } from '../compiler/ir.ts'
import { RegoObject, RegoSet } from '../value/value.ts'
import { MULTI, type Frame, type K } from './eval-state.ts'
import { Unifier } from './unification.ts'
import { forEachEntry } from './value-access.ts'

/** Rule bodies: expressions in order, negation, `some ... in`, `every`. */
export abstract class BodyEvaluator extends Unifier {
  body(b: CBody, i: number, f: Frame, k: K): boolean {
    if (i === b.length) return k()
    const e = b[i] as CExpr
    if (i + 1 === b.length) return this.expr(e, f, k)
    return this.expr(e, f, () => this.body(b, i + 1, f, k))
  }

  private expr(e: CExpr, f: Frame, k: K): boolean {
    this.step(e.loc)
    if (e.with.length > 0) return this.withExpr(e, f, k)
    return this.exprNoWith(e, f, k)
  }

  protected exprNoWith(e: CExpr, f: Frame, k: K): boolean {
    if (e.negated) {
      let found = false
      this.exprKind(e, f, () => {
        found = true
        return true
      })
      return found ? false : k()
    }
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
        return this.multi(x.term, f, (w) => (w === false ? false : k()))
      }
      case 'unify':
        return this.unify(x.lhs, x.rhs, f, k)
      case 'callout':
        return this.list(x.args, f, (args) => this.callMulti(x.fn, args, e.loc, (v) => this.match(x.out, v, f, k)))
      case 'print':
        this.doPrint(x.args, f, e.loc)
        return k()
      case 'somein':
        return this.term(x.coll, f, (c) =>
          forEachEntry(c, (key, val) =>
            this.tick() && x.key ? this.match(x.key, key, f, () => this.match(x.value, val, f, k)) : this.match(x.value, val, f, k),
          ),
        )
      case 'every':
        return this.term(x.domain, f, (d) => {
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
          return failed ? false : k()
        })
    }
  }
}
