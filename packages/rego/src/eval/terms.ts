import type { CTerm } from '../compiler/ir.ts'
import { uniformTerm } from '../compiler/uniform-ir.ts'
import { equal } from '../value/compare.ts'
import { RegoObject, RegoSet, type Value } from '../value/value.ts'
import { conflict, EvalState, MULTI, type Frame, type Sync, type VK } from './eval-state.ts'
import { anyCostly, costly, evaluatedPrefix, partialCall, partialObject, refFrom } from './partial-terms.ts'
import { forEachEntry, indexValue } from './value-access.ts'

/** Terms: their values, one (`sync`) or many (`multi`), references and comprehensions. */
export abstract class TermEvaluator extends EvalState {
  /**
   * Set whenever `sync` returns MULTI: the term it was given with the parts it already
   * evaluated (calls, comprehensions) replaced by their values, or undefined when evaluating
   * the term again costs nothing worth saving. Whoever gets MULTI continues with
   * `pending(t)`, so that no part is evaluated twice (see partial-terms.ts).
   */
  private partial: CTerm | undefined = undefined

  /** After `sync(t)` returned MULTI: the term to evaluate with `multi` instead of t. */
  protected pending(t: CTerm): CTerm {
    const p = this.partial
    if (p === undefined) return t
    this.partial = undefined
    return p
  }

  /** Evaluate a term, calling k for each of its values. */
  term(t: CTerm, f: Frame, k: VK): boolean {
    const v = this.sync(t, f)
    if (v === MULTI) return this.multi(this.pending(t), f, k)
    return v === undefined ? false : k(v)
  }

  /** The first value of a term, or undefined. */
  protected first(t: CTerm, f: Frame): Value | undefined {
    const v = this.sync(t, f)
    if (v !== MULTI) return v
    let out: Value | undefined
    this.multi(this.pending(t), f, (x) => {
      out = x
      return true
    })
    return out
  }

  /**
   * Evaluate a term that has at most one value; MULTI when it may have several. A small
   * dispatcher over one method per kind: deep nesting goes through here, and small frames let
   * the JS stack hold more levels. Loops index arrays (for-of costs iterator registers).
   */
  protected sync(t: CTerm, f: Frame): Sync {
    // Cases in order of frequency: a string switch compares one case after the other.
    switch (t.k) {
      case 'const':
        return t.v
      case 'var': {
        const v = f[t.slot]
        if (v !== undefined) return v
        this.partial = undefined
        return MULTI
      }
      case 'call':
        return this.syncCall(t, f)
      case 'ref': {
        const v = this.sync(t.head, f)
        if (v === undefined) return undefined
        if (v !== MULTI) return this.syncPath(v, t, f)
        const head = this.partial
        if (head !== undefined) this.partial = uniformTerm({ k: 'ref', head, path: t.path })
        return MULTI
      }
      case 'data':
        return this.syncData(t, f)
      case 'input':
        return this.input === undefined ? undefined : this.syncPath(this.input, t, f)
      case 'array':
      case 'set':
        return this.syncItems(t, f)
      case 'object':
        return this.syncObject(t, f)
      case 'acompr':
      case 'scompr':
      case 'ocompr':
        return this.comprehension(t, f)
    }
  }

  /** `v` (the head of ref or input term t) followed along t's path. */
  private syncPath(v: Value, t: CTerm & { k: 'ref' | 'input' }, f: Frame): Sync {
    const path = t.path
    for (let i = 0; i < path.length; i++) {
      const key = this.sync(path[i] as CTerm, f)
      if (key === undefined) return undefined
      if (key === MULTI) {
        if (this.partial !== undefined || (t.k === 'ref' && costly(t.head)) || anyCostly(path, i)) {
          this.partial = refFrom(v, evaluatedPrefix(path.slice(i), [], this.partial))
        }
        return MULTI
      }
      const next = indexValue(v, key)
      if (next === undefined) return undefined
      v = next
    }
    return v
  }

  private syncData(t: CTerm & { k: 'data' }, f: Frame): Sync {
    const path = t.path
    const keys = new Array<Value>(path.length)
    for (let i = 0; i < path.length; i++) {
      const key = this.sync(path[i] as CTerm, f)
      if (key === undefined) return undefined
      if (key === MULTI) {
        if (this.partial !== undefined || anyCostly(path, i)) {
          this.partial = uniformTerm({ k: 'data', path: evaluatedPrefix(path, keys.slice(0, i), this.partial) })
        }
        return MULTI
      }
      keys[i] = key
    }
    return this.dataGet(keys)
  }

  private syncItems(t: CTerm & { k: 'array' | 'set' }, f: Frame): Sync {
    const items = t.items
    const out: Value[] = []
    for (let i = 0; i < items.length; i++) {
      const v = this.sync(items[i] as CTerm, f)
      if (v === undefined) return undefined
      if (v === MULTI) {
        if (this.partial !== undefined || anyCostly(items, i)) {
          this.partial = uniformTerm({ k: t.k, items: evaluatedPrefix(items, out, this.partial) })
        }
        return MULTI
      }
      out.push(v)
    }
    return t.k === 'array' ? out : RegoSet.from(out)
  }

  private syncObject(t: CTerm & { k: 'object' }, f: Frame): Sync {
    const entries = t.entries
    const out = new RegoObject()
    for (let i = 0; i < entries.length; i++) {
      const [a, b] = entries[i] as readonly [CTerm, CTerm]
      const kv = this.sync(a, f)
      if (kv === undefined) return undefined
      const vv = kv === MULTI ? MULTI : this.sync(b, f)
      if (vv === undefined) return undefined
      if (vv === MULTI) return this.objectPartial(t, i, kv, out)
      out.set(kv as Value, vv)
    }
    return out
  }

  /** Entry i of object t has several values (its key kv, or its value); `out` has the entries before. */
  private objectPartial(
    t: CTerm & { k: 'object' },
    i: number,
    kv: Value | typeof MULTI,
    out: RegoObject,
  ): typeof MULTI {
    this.partial = partialObject(t, i, kv === MULTI ? undefined : kv, out, this.partial)
    return MULTI
  }

  private syncCall(t: CTerm & { k: 'call' }, f: Frame): Sync {
    const params = t.args
    const args: Value[] = []
    for (let i = 0; i < params.length; i++) {
      const v = this.sync(params[i] as CTerm, f)
      if (v === undefined) return undefined
      if (v === MULTI) {
        if (this.partial !== undefined || anyCostly(params, i)) this.partial = partialCall(t, args, this.partial)
        return MULTI
      }
      args.push(v)
    }
    const fn = t.fn
    if (this.mocks === undefined) {
      if (fn.kind === 'builtin') return fn.def.relation ? this.several(t, args) : this.callBuiltin(fn, args, t.loc)
      return fn.kind === 'rule' ? this.callUser(fn.rules, args, t.loc) : undefined
    }
    const mocked = this.resolveMock(fn)
    if ('value' in mocked) return mocked.value
    if ('mock' in mocked || (mocked.kind === 'builtin' && mocked.def.relation)) return this.several(t, args)
    return this.callOne(mocked, args, t.loc)
  }

  /** A call with evaluated arguments that has several results: MULTI, keeping the arguments. */
  private several(t: CTerm & { k: 'call' }, args: readonly Value[]): typeof MULTI {
    this.partial = anyCostly(t.args, t.args.length) ? partialCall(t, args, undefined) : undefined
    return MULTI
  }

  protected multi(t: CTerm, f: Frame, k: VK): boolean {
    switch (t.k) {
      case 'ref': {
        const h = this.sync(t.head, f)
        if (h === MULTI) return this.multi(this.pending(t.head), f, (x) => this.walk(x, t.path, 0, f, k))
        return h === undefined ? false : this.walk(h, t.path, 0, f, k)
      }
      case 'input':
        return this.input === undefined ? false : this.walk(this.input, t.path, 0, f, k)
      case 'data':
        return this.walkData(this.root, this.base, this.ov, t.path, 0, f, k)
      case 'array':
        return this.list(t.items, f, k)
      case 'set':
        return this.list(t.items, f, (vals) => k(RegoSet.from(vals)))
      case 'object': {
        const flat = t.entries.flatMap(([a, b]) => [a, b])
        return this.list(flat, f, (vals) => {
          const o = new RegoObject()
          for (let i = 0; i < vals.length; i += 2) o.set(vals[i] as Value, vals[i + 1] as Value)
          return k(o)
        })
      }
      case 'call':
        return this.list(t.args, f, (args) => this.callMulti(t.fn, args, t.loc, k))
      default:
        return false
    }
  }

  protected list(items: readonly CTerm[], f: Frame, k: (vals: Value[]) => boolean): boolean {
    const vals = new Array<Value>(items.length)
    // Items that are unbound patterns wait until the others (which may bind them) have run.
    let order: number[] | undefined
    for (let i = 0; i < items.length; i++) {
      if (!this.evaluable(items[i] as CTerm, f)) {
        order = [...items.keys()].sort(
          (a, b) => Number(!this.evaluable(items[a] as CTerm, f)) - Number(!this.evaluable(items[b] as CTerm, f)),
        )
        break
      }
    }
    const go = (j: number): boolean => {
      if (j === items.length) return k(vals.slice())
      const i = order ? (order[j] as number) : j
      return this.term(items[i] as CTerm, f, (v) => {
        vals[i] = v
        return go(j + 1)
      })
    }
    return go(0)
  }

  /** Continue a reference from value v at path[i]. */
  protected walk(v: Value, path: readonly CTerm[], i: number, f: Frame, k: VK): boolean {
    for (; i < path.length; i++) {
      const p = path[i] as CTerm
      const key = this.sync(p, f)
      if (key === undefined) return false
      if (key === MULTI) {
        const next = i + 1
        if (p.k === 'var') return this.walkEach(v, p.slot, path, next, f, k)
        const q = this.pending(p)
        return forEachEntry(v, (ek, ev) => this.tick() && this.match(q, ek, f, () => this.walk(ev, path, next, f, k)))
      }
      const child = indexValue(v, key)
      if (child === undefined) return false
      v = child
    }
    return k(v)
  }

  /** `v[x]...` with `x` unbound: bind x to each key of v in turn. */
  private walkEach(v: Value, slot: number, path: readonly CTerm[], next: number, f: Frame, k: VK): boolean {
    return forEachEntry(v, (ek, ev) => {
      this.tick()
      f[slot] = ek
      try {
        return next === path.length ? k(ev) : this.walk(ev, path, next, f, k)
      } finally {
        f[slot] = undefined
      }
    })
  }

  private comprehension(t: CTerm & { k: 'acompr' | 'scompr' | 'ocompr' }, f: Frame): Value {
    this.enter(undefined)
    try {
      if (t.k === 'acompr') {
        const out: Value[] = []
        this.body(t.body, 0, f, () => this.term(t.term, f, (v) => (out.push(v), false)))
        return out
      }
      if (t.k === 'scompr') {
        const out = new RegoSet()
        this.body(t.body, 0, f, () => this.term(t.term, f, (v) => (out.add(v), false)))
        return out
      }
      const out = new RegoObject()
      this.body(t.body, 0, f, () =>
        this.term(t.key, f, (key) =>
          this.term(t.value, f, (v) => {
            const cur = out.get(key)
            if (cur !== undefined && !equal(cur, v)) throw conflict('object keys must be unique', undefined)
            out.set(key, v)
            return false
          }),
        ),
      )
      return out
    } finally {
      this.depth--
    }
  }
}
