import type { CTerm } from '../compiler/ir.ts'
import { equal } from '../value/compare.ts'
import { RegoObject, type Value } from '../value/value.ts'
import { MULTI, type Frame, type K } from './eval-state.ts'
import { TermEvaluator } from './terms.ts'

/** Unification (`=`, `:=`) of terms, and matching patterns against values. */
export abstract class Unifier extends TermEvaluator {
  protected unify(a: CTerm, b: CTerm, f: Frame, k: K): boolean {
    if (a.k === 'var' && f[a.slot] === undefined) {
      const v = this.sync(b, f)
      if (v === undefined) return false
      if (v !== MULTI) {
        if (f[a.slot] !== undefined) return equal(f[a.slot] as Value, v) ? k() : false
        f[a.slot] = v
        try {
          return k()
        } finally {
          f[a.slot] = undefined
        }
      }
      return this.multi(this.pending(b), f, (w) => this.match(a, w, f, k))
    }
    if (b.k === 'var' && f[b.slot] === undefined) return this.term(a, f, (v) => this.match(b, v, f, k))
    if (a.k === 'array' && b.k === 'array') {
      if (a.items.length !== b.items.length) return false
      return this.unifyPairs(
        a.items.map((x, i) => [x, b.items[i] as CTerm] as const),
        f,
        k,
      )
    }
    if (a.k === 'object' && b.k === 'object' && !this.evaluable(a, f) && !this.evaluable(b, f)) {
      const pairs = objectPairs(a, b, (t) => this.first(t, f))
      if (pairs === undefined) return false
      return this.unifyPairs(pairs, f, k)
    }
    if (this.evaluable(a, f)) return this.term(a, f, (v) => this.match(b, v, f, k))
    return this.term(b, f, (v) => this.match(a, v, f, k))
  }

  private unifyPairs(pairs: readonly (readonly [CTerm, CTerm])[], f: Frame, k: K): boolean {
    if (pairs.length === 0) return k()
    let idx = pairs.findIndex(([x, y]) => this.evaluable(x, f) || this.evaluable(y, f))
    if (idx < 0) idx = 0
    const [x, y] = pairs[idx] as readonly [CTerm, CTerm]
    const rest = pairs.filter((_, i) => i !== idx)
    return this.unify(x, y, f, () => this.unifyPairs(rest, f, k))
  }

  protected evaluable(t: CTerm, f: Frame): boolean {
    switch (t.k) {
      case 'var':
        return f[t.slot] !== undefined
      case 'array':
      case 'set':
        return t.items.every((x) => this.evaluable(x, f))
      case 'object':
        return t.entries.every(([a, b]) => this.evaluable(a, f) && this.evaluable(b, f))
      default:
        return true
    }
  }

  /** Match a pattern against a value, binding its unbound variables. */
  match(p: CTerm, v: Value, f: Frame, k: K): boolean {
    switch (p.k) {
      case 'const':
        return equal(p.v, v) ? k() : false
      case 'var': {
        const cur = f[p.slot]
        if (cur === undefined) {
          f[p.slot] = v
          try {
            return k()
          } finally {
            f[p.slot] = undefined
          }
        }
        return equal(cur, v) ? k() : false
      }
      case 'array': {
        if (!Array.isArray(v) || v.length !== p.items.length) return false
        const items = p.items
        const go = (i: number): boolean =>
          i === items.length ? k() : this.match(items[i] as CTerm, v[i] as Value, f, () => go(i + 1))
        return go(0)
      }
      case 'object': {
        if (!(v instanceof RegoObject) || v.size !== p.entries.length) return false
        const entries = p.entries
        const go = (i: number): boolean => {
          if (i === entries.length) return k()
          const [kt, vt] = entries[i] as readonly [CTerm, CTerm]
          return this.term(kt, f, (key) => {
            const sub = v.get(key)
            return sub === undefined ? false : this.match(vt, sub, f, () => go(i + 1))
          })
        }
        return go(0)
      }
      default:
        return this.term(p, f, (pv) => (equal(pv, v) ? k() : false))
    }
  }
}

/** Pair up the values of two object patterns by key; undefined when their keys differ. */
export function objectPairs(
  a: CTerm & { k: 'object' },
  b: CTerm & { k: 'object' },
  keyOf: (t: CTerm) => Value | undefined,
): (readonly [CTerm, CTerm])[] | undefined {
  if (a.entries.length !== b.entries.length) return undefined
  const pairs: (readonly [CTerm, CTerm])[] = []
  for (const [ka, va] of a.entries) {
    const kv = keyOf(ka)
    if (kv === undefined) return undefined
    const other = b.entries.find(([kb]) => {
      const x = keyOf(kb)
      return x !== undefined && equal(x, kv)
    })
    if (!other) return undefined
    pairs.push([va, other[1]])
  }
  return pairs
}
