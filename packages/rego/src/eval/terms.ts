import type { CTerm } from '../compiler/ir.ts'
import { equal } from '../value/compare.ts'
import { RegoObject, RegoSet, type Value } from '../value/value.ts'
import { conflict, EvalState, MULTI, type Frame, type Sync, type VK } from './eval-state.ts'
import { forEachEntry, indexValue } from './value-access.ts'

/** Terms: their values, one (`sync`) or many (`multi`), references and comprehensions. */
export abstract class TermEvaluator extends EvalState {
  /** Evaluate a term, calling k for each of its values. */
  term(t: CTerm, f: Frame, k: VK): boolean {
    const v = this.sync(t, f)
    if (v === MULTI) return this.multi(t, f, k)
    return v === undefined ? false : k(v)
  }

  /** The first value of a term, or undefined. */
  protected first(t: CTerm, f: Frame): Value | undefined {
    const v = this.sync(t, f)
    if (v !== MULTI) return v
    let out: Value | undefined
    this.multi(t, f, (x) => {
      out = x
      return true
    })
    return out
  }

  /** Evaluate a term that has at most one value; MULTI when it may have several. */
  protected sync(t: CTerm, f: Frame): Sync {
    switch (t.k) {
      case 'const':
        return t.v
      case 'var': {
        const v = f[t.slot]
        return v === undefined ? MULTI : v
      }
      case 'ref': {
        let v = this.sync(t.head, f)
        if (v === undefined || v === MULTI) return v
        for (const p of t.path) {
          const key = this.sync(p, f)
          if (key === undefined || key === MULTI) return key
          v = indexValue(v, key)
          if (v === undefined) return undefined
        }
        return v
      }
      case 'input': {
        let v = this.input
        if (v === undefined) return undefined
        for (const p of t.path) {
          const key = this.sync(p, f)
          if (key === undefined || key === MULTI) return key
          v = indexValue(v, key)
          if (v === undefined) return undefined
        }
        return v
      }
      case 'data': {
        const keys: Value[] = []
        for (const p of t.path) {
          const key = this.sync(p, f)
          if (key === undefined || key === MULTI) return key
          keys.push(key)
        }
        return this.dataGet(keys)
      }
      case 'array': {
        const out: Value[] = []
        for (const x of t.items) {
          const v = this.sync(x, f)
          if (v === undefined || v === MULTI) return v
          out.push(v)
        }
        return out
      }
      case 'set': {
        const out = new RegoSet()
        for (const x of t.items) {
          const v = this.sync(x, f)
          if (v === undefined || v === MULTI) return v
          out.add(v)
        }
        return out
      }
      case 'object': {
        const out = new RegoObject()
        for (const [a, b] of t.entries) {
          const kv = this.sync(a, f)
          if (kv === undefined || kv === MULTI) return kv
          const vv = this.sync(b, f)
          if (vv === undefined || vv === MULTI) return vv
          out.set(kv, vv)
        }
        return out
      }
      case 'acompr':
      case 'scompr':
      case 'ocompr':
        return this.comprehension(t, f)
      case 'call': {
        const args: Value[] = []
        for (const a of t.args) {
          const v = this.sync(a, f)
          if (v === undefined || v === MULTI) return v
          args.push(v)
        }
        const fn = t.fn
        if (this.mocks === undefined) {
          if (fn.kind === 'builtin') return fn.def.relation ? MULTI : this.callBuiltin(fn, args, t.loc)
          return fn.kind === 'rule' ? this.callUser(fn.rules, args, t.loc) : undefined
        }
        const mocked = this.resolveMock(fn)
        if ('value' in mocked) return mocked.value
        if ('mock' in mocked || (mocked.kind === 'builtin' && mocked.def.relation)) return MULTI
        return this.callOne(mocked, args, t.loc)
      }
    }
  }

  protected multi(t: CTerm, f: Frame, k: VK): boolean {
    switch (t.k) {
      case 'ref':
        return this.term(t.head, f, (h) => this.walk(h, t.path, 0, f, k))
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
    const vals: Value[] = new Array(items.length)
    // Items that are unbound patterns wait until the others (which may bind them) have run.
    let order: number[] | undefined
    for (let i = 0; i < items.length; i++) {
      if (!this.evaluable(items[i] as CTerm, f)) {
        order = [...items.keys()].sort((a, b) => Number(!this.evaluable(items[a] as CTerm, f)) - Number(!this.evaluable(items[b] as CTerm, f)))
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
        return forEachEntry(v, (ek, ev) => this.tick() && this.match(p, ek, f, () => this.walk(ev, path, next, f, k)))
      }
      const child = indexValue(v, key)
      if (child === undefined) return false
      v = child
    }
    return k(v)
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
