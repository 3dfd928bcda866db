import type { PrintEvent } from '../api.ts'
import { BuiltinError } from '../builtins/builtin.ts'
import { nodeKey } from '../compiler/context.ts'
import type { CBody, CExpr, CQuery, CRuleDef, CTerm, CWith, FnRef, RuleNode, RuleSet } from '../compiler/ir.ts'
import { RegoError, type Location } from '../errors.ts'
import { compare, equal } from '../value/compare.ts'
import { toRegoText } from '../value/rego-text.ts'
import { RegoObject, RegoSet, type Value } from '../value/value.ts'
import { applyOverrides, overrideChild, withOverride, type Overrides } from './overrides.ts'
import { forEachEntry, indexValue, setPath } from './value-access.ts'

type Frame = (Value | undefined)[]
type K = () => boolean
type VK = (v: Value) => boolean

const MULTI: unique symbol = Symbol('multi')
type Sync = Value | undefined | typeof MULTI

const UNDEF: unique symbol = Symbol('undefined')
const BUSY: unique symbol = Symbol('busy')
type Cached = Value | typeof UNDEF | typeof BUSY

type Mock = { readonly value: Value } | { readonly fn: FnRef }

export interface EvalSettings {
  readonly root: RuleNode
  readonly input: Value | undefined
  readonly data: Value
  readonly strict: boolean
  readonly maxSteps: number
  readonly timeoutMs: number
  readonly maxDepth: number
  readonly nowNs: bigint
  readonly random: () => number
  readonly print: ((e: PrintEvent) => void) | undefined
}

interface State {
  input: Value | undefined
  ov: Overrides | undefined
  mocks: Map<string, Mock> | undefined
  cache: Map<RuleSet, Cached>
}

function conflict(message: string, loc: Location | undefined): RegoError {
  return new RegoError('eval_conflict_error', message, loc)
}

/** One evaluation: top-down, continuation-passing, with backtracking by unbinding slots. */
export class Evaluator {
  private readonly root: RuleNode
  private readonly base: Value
  private input: Value | undefined
  private ov: Overrides | undefined = undefined
  private mocks: Map<string, Mock> | undefined = undefined
  private cache = new Map<RuleSet, Cached>()
  private readonly strict: boolean
  private steps = 0
  private readonly maxSteps: number
  private readonly deadline: number
  private depth = 0
  private readonly maxDepth: number
  private readonly print: ((e: PrintEvent) => void) | undefined
  /** Text of composite values already printed in this evaluation (values are immutable). */
  private printed: WeakMap<object, string> | undefined = undefined
  private readonly ctx: { strict: boolean; nowNs: bigint; random: () => number; memo: Map<string, Value>; location: Location | undefined }

  constructor(s: EvalSettings) {
    this.root = s.root
    this.base = s.data
    this.input = s.input
    this.strict = s.strict
    this.maxSteps = s.maxSteps
    this.deadline = Date.now() + s.timeoutMs
    this.maxDepth = s.maxDepth
    this.print = s.print
    this.ctx = { strict: s.strict, nowNs: s.nowNs, random: s.random, memo: new Map(), location: undefined }
  }

  // ---- entry points ------------------------------------------------------------------------

  query(q: CQuery): Map<string, Value>[] {
    const f: Frame = new Array(q.nslots)
    const out: Map<string, Value>[] = []
    this.guard(() =>
      this.body(q.body, 0, f, () => {
        const m = new Map<string, Value>()
        for (const v of q.vars) {
          const x = f[v.slot]
          if (x !== undefined) m.set(v.name, x)
        }
        out.push(m)
        return false
      }),
    )
    return out
  }

  document(path: readonly Value[]): Value | undefined {
    return this.guard(() => this.dataGet(path))
  }

  private guard<T>(run: () => T): T {
    try {
      return run()
    } catch (e) {
      if (e instanceof RangeError && /call stack/i.test(e.message)) {
        throw new RegoError('eval_limit_error', 'evaluation exceeded the maximum call stack depth', undefined, { cause: e })
      }
      throw e
    }
  }

  // ---- limits ------------------------------------------------------------------------------

  private step(loc: Location): void {
    const n = ++this.steps
    if (n > this.maxSteps) {
      throw new RegoError('eval_limit_error', `evaluation exceeded the step limit (${this.maxSteps})`, loc)
    }
    if ((n & 4095) === 0 && Date.now() > this.deadline) {
      throw new RegoError('eval_limit_error', 'evaluation exceeded the time limit', loc)
    }
  }

  /** Count a step of an iteration; always true so it can prefix a condition. */
  private tick(): true {
    const n = ++this.steps
    if (n > this.maxSteps) throw new RegoError('eval_limit_error', `evaluation exceeded the step limit (${this.maxSteps})`)
    if ((n & 4095) === 0 && Date.now() > this.deadline) throw new RegoError('eval_limit_error', 'evaluation exceeded the time limit')
    return true
  }

  private enter(loc: Location | undefined): void {
    if (++this.depth > this.maxDepth) {
      this.depth = 0
      throw new RegoError('eval_limit_error', `evaluation exceeded the maximum depth (${this.maxDepth})`, loc)
    }
  }

  // ---- bodies and expressions --------------------------------------------------------------

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

  private exprNoWith(e: CExpr, f: Frame, k: K): boolean {
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

  private withExpr(e: CExpr, f: Frame, k: K): boolean {
    const values: (Value | FnRef)[] = []
    for (const w of e.with) {
      if (w.value.k === 'fn') values.push(w.value.fn)
      else {
        const v = this.first(w.value.term, f)
        if (v === undefined) return false
        values.push(v)
      }
    }
    const outer = this.save()
    for (let i = 0; i < e.with.length; i++) this.applyWith(e.with[i] as CWith, values[i] as Value | FnRef)
    this.cache = new Map()
    const inner = this.save()
    try {
      return this.exprNoWith(e, f, () => {
        this.restore(outer)
        try {
          return k()
        } finally {
          this.restore(inner)
        }
      })
    } finally {
      this.restore(outer)
    }
  }

  private applyWith(w: CWith, v: Value | FnRef): void {
    const t = w.target
    if (t.k === 'fn') {
      const m = new Map(this.mocks ?? [])
      const isFn = w.value.k === 'fn'
      m.set(t.key, isFn ? { fn: v as FnRef } : { value: v as Value })
      this.mocks = m
    } else if (isFnRef(v)) {
      return
    } else if (t.k === 'input') {
      this.input = setPath(this.input, t.path, v)
    } else {
      this.ov = withOverride(this.ov, t.path, v)
    }
  }

  private save(): State {
    return { input: this.input, ov: this.ov, mocks: this.mocks, cache: this.cache }
  }

  private restore(s: State): void {
    this.input = s.input
    this.ov = s.ov
    this.mocks = s.mocks
    this.cache = s.cache
  }

  private doPrint(args: readonly CTerm[], f: Frame, loc: Location): void {
    if (!this.print) return
    let single = true
    const parts: string[][] = []
    for (const a of args) {
      const v = this.sync(a, f)
      if (v !== MULTI) {
        parts.push([v === undefined ? '<undefined>' : this.printText(v)])
        continue
      }
      const vals = new RegoSet()
      this.multi(a, f, (x) => {
        vals.add(x)
        return false
      })
      if (vals.size === 0) parts.push(['<undefined>'])
      else {
        if (vals.size > 1) single = false
        parts.push(vals.values().map((x) => this.printText(x)))
      }
    }
    if (single) {
      // Concatenation rather than join: the message stays a rope over the cached operand texts.
      let message = parts[0]?.[0] ?? ''
      for (let i = 1; i < parts.length; i++) message += ' ' + (parts[i] as string[])[0]
      this.print({ message, location: loc })
      return
    }
    let lines: string[][] = [[]]
    for (const p of parts) lines = lines.flatMap((l) => p.map((s) => [...l, s]))
    for (const l of lines) this.print({ message: l.join(' '), location: loc })
  }

  /** A print operand's text: strings as they are, other values as Rego terms (cached per value). */
  private printText(v: Value): string {
    if (typeof v === 'string') return v
    if (v === null || typeof v !== 'object') return toRegoText(v)
    const cache = (this.printed ??= new WeakMap())
    let text = cache.get(v)
    if (text === undefined) cache.set(v, (text = toRegoText(v)))
    return text
  }

  // ---- unification -------------------------------------------------------------------------

  private unify(a: CTerm, b: CTerm, f: Frame, k: K): boolean {
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
      return this.multi(b, f, (w) => this.match(a, w, f, k))
    }
    if (b.k === 'var' && f[b.slot] === undefined) return this.term(a, f, (v) => this.match(b, v, f, k))
    if (a.k === 'array' && b.k === 'array') {
      if (a.items.length !== b.items.length) return false
      return this.unifyPairs(a.items.map((x, i) => [x, b.items[i] as CTerm] as const), f, k)
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

  private evaluable(t: CTerm, f: Frame): boolean {
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

  // ---- terms -------------------------------------------------------------------------------

  /** Evaluate a term, calling k for each of its values. */
  term(t: CTerm, f: Frame, k: VK): boolean {
    const v = this.sync(t, f)
    if (v === MULTI) return this.multi(t, f, k)
    return v === undefined ? false : k(v)
  }

  /** The first value of a term, or undefined. */
  private first(t: CTerm, f: Frame): Value | undefined {
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
  private sync(t: CTerm, f: Frame): Sync {
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
        const fn = this.resolveMock(t.fn)
        if ('value' in fn) return fn.value
        if ('mock' in fn || (fn.kind === 'builtin' && fn.def.relation)) return MULTI
        return this.callOne(fn, args, t.loc)
      }
    }
  }

  private multi(t: CTerm, f: Frame, k: VK): boolean {
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

  private list(items: readonly CTerm[], f: Frame, k: (vals: Value[]) => boolean): boolean {
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
  private walk(v: Value, path: readonly CTerm[], i: number, f: Frame, k: VK): boolean {
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

  // ---- the data document -------------------------------------------------------------------

  /** The document at a ground path below data. */
  private dataGet(keys: readonly Value[]): Value | undefined {
    let node: RuleNode | undefined = this.root
    let base: Value | undefined = this.base
    let ov = this.ov
    for (let i = 0; i < keys.length; i++) {
      if (ov?.value !== undefined) return getPath(ov.value, keys, i)
      if (node?.rules) {
        const v = this.nodeValue(node, base, ov)
        return v === undefined ? undefined : getPath(v, keys, i)
      }
      if (!node && !ov) return base === undefined ? undefined : getPath(base, keys, i)
      const key = keys[i] as Value
      node = node?.children.get(nodeKey(key))
      base = base === undefined ? undefined : indexBase(base, key)
      ov = overrideChild(ov, key)
    }
    return this.fullValue(node, base, ov)
  }

  private walkData(
    node: RuleNode | undefined,
    base: Value | undefined,
    ov: Overrides | undefined,
    path: readonly CTerm[],
    i: number,
    f: Frame,
    k: VK,
  ): boolean {
    if (ov?.value !== undefined) return this.walk(ov.value, path, i, f, k)
    if (node?.rules) {
      const v = this.nodeValue(node, base, ov)
      return v === undefined ? false : this.walk(v, path, i, f, k)
    }
    if (!node && !ov) return base === undefined ? false : this.walk(base, path, i, f, k)
    if (i === path.length) {
      const v = this.fullValue(node, base, ov)
      return v === undefined ? false : k(v)
    }
    const p = path[i] as CTerm
    const key = this.sync(p, f)
    if (key === undefined) return false
    if (key !== MULTI) {
      return this.walkData(
        node?.children.get(nodeKey(key)),
        base === undefined ? undefined : indexBase(base, key),
        overrideChild(ov, key),
        path,
        i + 1,
        f,
        k,
      )
    }
    const keys = new Map<string, Value>()
    if (node) for (const c of node.children.values()) if (c.rules?.kind !== 'function' || c.rules.arity === 0) keys.set(nodeKey(c.key), c.key)
    if (base instanceof RegoObject) for (const bk of base.keys()) keys.set(nodeKey(bk), bk)
    if (ov) for (const c of ov.children.values()) keys.set(nodeKey(c.key), c.key)
    const sorted = [...keys.values()].sort(compare)
    for (const key of sorted) {
      const stop = this.match(p, key, f, () =>
        this.walkData(
          node?.children.get(nodeKey(key)),
          base === undefined ? undefined : indexValue(base, key),
          overrideChild(ov, key),
          path,
          i + 1,
          f,
          k,
        ),
      )
      if (stop) return true
    }
    return false
  }

  /** The value of a node that holds rules (merged with any rules below it). */
  private nodeValue(node: RuleNode, base: Value | undefined, ov: Overrides | undefined): Value | undefined {
    const rs = node.rules as RuleSet
    if (base !== undefined) return ov ? applyOverrides(base, ov) : base
    if (rs.kind === 'function') return rs.arity === 0 ? this.callUser(rs, [], rs.loc) : undefined
    let v = this.ruleValue(rs)
    if (node.children.size > 0 && rs.kind === 'object') {
      const leafDepth = Math.min(...rs.defs.map((d) => d.keys?.length ?? 1))
      const obj = v instanceof RegoObject ? v.clone() : new RegoObject()
      for (const c of node.children.values()) {
        if (c.rules?.kind === 'function' && c.rules.arity > 0) continue
        const cv = this.fullValue(c, undefined, overrideChild(ov, c.key))
        if (cv === undefined) continue
        const cur = obj.get(c.key)
        obj.set(c.key, cur === undefined ? cv : mergeDocs(cur, cv, rs.loc, leafDepth - 1))
      }
      v = obj
    }
    void base
    return ov ? applyOverrides(v, ov) : v
  }

  /** The whole document at a position: base data merged with every rule below. */
  private fullValue(node: RuleNode | undefined, base: Value | undefined, ov: Overrides | undefined): Value | undefined {
    if (ov?.value !== undefined) return ov.value
    if (node?.rules) return this.nodeValue(node, base, ov)
    if (!node) return ov ? applyOverrides(base, ov) : base
    const obj = base instanceof RegoObject ? base.clone() : new RegoObject()
    for (const c of node.children.values()) {
      if (c.rules?.kind === 'function' && c.rules.arity > 0) continue
      const cv = this.fullValue(c, obj.get(c.key), overrideChild(ov, c.key))
      if (cv !== undefined) obj.set(c.key, cv)
    }
    if (ov) {
      for (const { key, node: o } of ov.children.values()) {
        if (node.children.has(nodeKey(key))) continue
        const cv = applyOverrides(obj.get(key), o)
        if (cv !== undefined) obj.set(key, cv)
      }
    }
    return obj
  }

  // ---- rules -------------------------------------------------------------------------------

  ruleValue(rs: RuleSet): Value | undefined {
    const c = this.cache.get(rs)
    if (c !== undefined) return c === UNDEF || c === BUSY ? undefined : c
    this.cache.set(rs, BUSY)
    this.enter(rs.loc)
    let v: Value | undefined
    try {
      if (rs.kind === 'complete') v = this.completeValue(rs)
      else if (rs.kind === 'set') v = this.setValue(rs)
      else v = this.objectValue(rs)
    } finally {
      this.depth--
    }
    this.cache.set(rs, v === undefined ? UNDEF : v)
    return v
  }

  private completeValue(rs: RuleSet): Value | undefined {
    let result: Value | undefined
    for (const def of rs.defs) {
      if (result !== undefined && def.branches.every((b) => b.value.k === 'const' && equal(b.value.v, result as Value))) {
        continue
      }
      const f: Frame = new Array(def.nslots)
      this.branches(def, f, (v, loc) => {
        if (result === undefined) result = v
        else if (!equal(result, v)) throw conflict('complete rules must not produce multiple outputs', loc)
      })
    }
    if (result === undefined && rs.defaultDef) result = this.defaultValue(rs.defaultDef)
    return result
  }

  /** Run a definition's branches (body, then each else) until one produces a value. */
  private branches(def: CRuleDef, f: Frame, emit: (v: Value, loc: Location) => void): void {
    for (const br of def.branches) {
      let produced = false
      const constant = br.value.k === 'const'
      this.body(br.body, 0, f, () =>
        this.term(br.value, f, (v) => {
          produced = true
          emit(v, br.loc)
          return constant
        }),
      )
      if (produced) return
    }
  }

  private defaultValue(def: CRuleDef): Value | undefined {
    const br = def.branches[0]
    if (!br) return undefined
    const f: Frame = new Array(def.nslots)
    let out: Value | undefined
    this.body(br.body, 0, f, () =>
      this.term(br.value, f, (v) => {
        out = v
        return true
      }),
    )
    return out
  }

  private setValue(rs: RuleSet): Value {
    const out = new RegoSet()
    for (const def of rs.defs) {
      const f: Frame = new Array(def.nslots)
      const br = def.branches[0]
      if (!br) continue
      this.body(br.body, 0, f, () => this.term(br.value, f, (v) => (out.add(v), false)))
    }
    return out
  }

  private objectValue(rs: RuleSet): Value {
    const out = new RegoObject()
    const fresh = new Set<object>([out])
    for (const def of rs.defs) {
      const f: Frame = new Array(def.nslots)
      const br = def.branches[0]
      if (!br) continue
      const keys = def.keys ?? []
      this.body(br.body, 0, f, () =>
        this.list(keys, f, (ks) =>
          this.term(br.value, f, (v) => {
            insertPath(out, ks, v, fresh, def.loc, def.setLeaf)
            return false
          }),
        ),
      )
    }
    return out
  }

  // ---- calls -------------------------------------------------------------------------------

  private resolveMock(fn: FnRef): FnRef | { readonly value: Value } | { readonly mock: FnRef } {
    const m = this.mocks?.get(fn.key)
    if (!m) return fn
    if ('value' in m) return { value: m.value }
    return { mock: m.fn }
  }

  /** A replacement function runs without any function mocks (it may call the original). */
  private callReplacement(fn: FnRef, args: Value[], loc: Location, k: VK): boolean {
    const saved = this.save()
    this.mocks = undefined
    this.cache = new Map()
    const inner = this.save()
    try {
      return this.callMulti(fn, args, loc, (v) => {
        this.restore(saved)
        try {
          return k(v)
        } finally {
          this.restore(inner)
        }
      })
    } finally {
      this.restore(saved)
    }
  }

  private callMulti(fn0: FnRef, args: Value[], loc: Location, k: VK): boolean {
    const fn = this.resolveMock(fn0)
    if ('value' in fn) return k(fn.value)
    if ('mock' in fn) return this.callReplacement(fn.mock, args, loc, k)
    if (fn.kind === 'builtin' && fn.def.relation) {
      this.ctx.location = loc
      let results: Iterable<Value>
      try {
        results = fn.def.relation(args, this.ctx)
      } catch (e) {
        this.builtinFailure(fn, e, loc)
        return false
      }
      for (const r of results) if (k(r)) return true
      return false
    }
    const v = this.callOne(fn, args, loc)
    return v === undefined ? false : k(v)
  }

  private callOne(fn: FnRef, args: Value[], loc: Location): Value | undefined {
    if (fn.kind === 'builtin') {
      this.ctx.location = loc
      try {
        return fn.def.fn(args, this.ctx)
      } catch (e) {
        this.builtinFailure(fn, e, loc)
        return undefined
      }
    }
    if (fn.kind === 'rule') return this.callUser(fn.rules, args, loc)
    return undefined
  }

  private builtinFailure(fn: FnRef & { kind: 'builtin' }, e: unknown, loc: Location): void {
    if (e instanceof RegoError) throw e
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw e
    if (e instanceof BuiltinError) {
      if (e.halt || this.strict || fn.host) throw new RegoError(e.code, `${fn.key}: ${e.message}`, loc, { cause: e })
      return
    }
    const msg = e instanceof Error ? e.message : String(e)
    if (this.strict || fn.host) throw new RegoError('eval_builtin_error', `${fn.key}: ${msg}`, loc, { cause: e })
  }

  private callUser(rs: RuleSet, args: Value[], loc: Location): Value | undefined {
    this.enter(loc)
    try {
      let result: Value | undefined
      for (const def of rs.defs) {
        if (result !== undefined && def.branches.every((b) => b.value.k === 'const' && equal(b.value.v, result as Value))) {
          continue
        }
        const f: Frame = new Array(def.nslots)
        const params = def.args ?? []
        const go = (i: number): boolean => {
          if (i === params.length) {
            this.branches(def, f, (v, l) => {
              if (result === undefined) result = v
              else if (!equal(result, v)) throw conflict('functions must not produce multiple outputs for same inputs', l)
            })
            return true
          }
          return this.match(params[i] as CTerm, args[i] as Value, f, () => go(i + 1))
        }
        go(0)
      }
      if (result === undefined && rs.defaultDef) result = this.defaultValue(rs.defaultDef)
      return result
    } finally {
      this.depth--
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

function isFnRef(v: Value | FnRef): v is FnRef {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'kind' in v && !(v instanceof RegoObject) && !(v instanceof RegoSet)
}

/** Merge two documents produced for the same key by different rules (sets and objects merge). */
function mergeDocs(a: Value, b: Value, loc: Location, depth: number): Value {
  if (a instanceof RegoSet && b instanceof RegoSet && depth <= 0) {
    const out = a.clone()
    for (const x of b.values()) out.add(x)
    return out
  }
  if (a instanceof RegoObject && b instanceof RegoObject && depth > 0) {
    const out = a.clone()
    for (const [k, v] of b.entries()) {
      const cur = out.get(k)
      out.set(k, cur === undefined ? v : mergeDocs(cur, v, loc, depth - 1))
    }
    return out
  }
  if (equal(a, b)) return a
  throw conflict('object keys must be unique', loc)
}

/** A step into base data; numbers address string keys as in OPA's store. */
function indexBase(base: Value, key: Value): Value | undefined {
  const v = indexValue(base, key)
  if (v === undefined && typeof key === 'number' && base instanceof RegoObject) return base.get(String(key))
  return v
}

function getPath(v: Value, keys: readonly Value[], from: number): Value | undefined {
  let cur: Value | undefined = v
  for (let i = from; i < keys.length && cur !== undefined; i++) cur = indexBase(cur, keys[i] as Value)
  return cur
}

function insertPath(obj: RegoObject, keys: Value[], v: Value, fresh: Set<object>, loc: Location, setLeaf: boolean): void {
  let cur = obj
  for (let i = 0; i < keys.length - 1; i++) {
    const key = keys[i] as Value
    const next = cur.get(key)
    let child: RegoObject
    if (next === undefined) {
      child = new RegoObject()
      fresh.add(child)
    } else if (next instanceof RegoObject) {
      child = fresh.has(next) ? next : next.clone()
      fresh.add(child)
    } else {
      throw conflict('object keys must be unique', loc)
    }
    cur.set(key, child)
    cur = child
  }
  const last = keys[keys.length - 1] as Value
  const existing = cur.get(last)
  if (setLeaf) {
    let leaf: RegoSet
    if (existing === undefined) leaf = new RegoSet()
    else if (existing instanceof RegoSet) leaf = fresh.has(existing) ? existing : existing.clone()
    else throw conflict('object keys must be unique', loc)
    fresh.add(leaf)
    cur.set(last, leaf.add(v))
    return
  }
  if (existing !== undefined && !equal(existing, v)) throw conflict('object keys must be unique', loc)
  cur.set(last, v)
}
