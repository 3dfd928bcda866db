import type { CBody, CExpr, CTerm } from './ir.ts'

/**
 * Where variables occur in a term: pattern positions (bound by unification), reference paths
 * (enumerated when unbound) and positions that need a value (call arguments, set items, keys,
 * closure free variables).
 */
export interface VarSets {
  readonly pattern: Set<number>
  readonly refpath: Set<number>
  readonly required: Set<number>
}

export type VarMode = keyof VarSets

export function emptyVarSets(): VarSets {
  return { pattern: new Set(), refpath: new Set(), required: new Set() }
}

export class VarCollector {
  private readonly closureSlots: WeakMap<object, ReadonlySet<number>>

  constructor(closureSlots: WeakMap<object, ReadonlySet<number>>) {
    this.closureSlots = closureSlots
  }

  term(t: CTerm, mode: VarMode, out: VarSets): void {
    switch (t.k) {
      case 'const':
        return
      case 'var':
        out[mode].add(t.slot)
        return
      case 'array':
        for (const x of t.items) this.term(x, mode, out)
        return
      case 'object':
        for (const [k, v] of t.entries) {
          this.term(k, mode === 'pattern' ? 'required' : mode, out)
          this.term(v, mode, out)
        }
        return
      case 'set':
        for (const x of t.items) this.term(x, mode === 'pattern' ? 'required' : mode, out)
        return
      case 'ref':
        this.term(t.head, 'required', out)
        for (const p of t.path) this.term(p, 'refpath', out)
        return
      case 'input':
      case 'data':
        for (const p of t.path) this.term(p, 'refpath', out)
        return
      case 'call':
        for (const a of t.args) this.term(a, mode === 'refpath' ? 'refpath' : 'required', out)
        return
      case 'acompr':
      case 'scompr':
      case 'ocompr':
        for (const s of this.closureFree(t)) out.required.add(s)
        return
    }
  }

  /** Slots a closure term reads from outside itself. */
  closureFree(t: CTerm & { k: 'acompr' | 'scompr' | 'ocompr' }): Set<number> {
    const all = new Set<number>()
    this.allSlotsBody(t.body, all)
    if (t.k === 'ocompr') {
      this.allSlotsTerm(t.key, all)
      this.allSlotsTerm(t.value, all)
    } else this.allSlotsTerm(t.term, all)
    return this.minusOwned(all, t.body)
  }

  everyFree(e: CExpr & { kind: { k: 'every' } }): Set<number> {
    const all = new Set<number>()
    this.allSlotsBody(e.kind.body, all)
    return this.minusOwned(all, e.kind.body)
  }

  private minusOwned(all: Set<number>, body: CBody): Set<number> {
    const owned = this.closureSlots.get(body)
    if (owned) for (const s of owned) all.delete(s)
    return all
  }

  allSlotsTerm(t: CTerm, out: Set<number>): void {
    switch (t.k) {
      case 'const':
        return
      case 'var':
        out.add(t.slot)
        return
      case 'array':
      case 'set':
        for (const x of t.items) this.allSlotsTerm(x, out)
        return
      case 'object':
        for (const [k, v] of t.entries) {
          this.allSlotsTerm(k, out)
          this.allSlotsTerm(v, out)
        }
        return
      case 'ref':
        this.allSlotsTerm(t.head, out)
        for (const p of t.path) this.allSlotsTerm(p, out)
        return
      case 'input':
      case 'data':
        for (const p of t.path) this.allSlotsTerm(p, out)
        return
      case 'call':
        for (const a of t.args) this.allSlotsTerm(a, out)
        return
      case 'acompr':
      case 'scompr':
        this.allSlotsTerm(t.term, out)
        this.allSlotsBody(t.body, out)
        return
      case 'ocompr':
        this.allSlotsTerm(t.key, out)
        this.allSlotsTerm(t.value, out)
        this.allSlotsBody(t.body, out)
        return
    }
  }

  allSlotsBody(body: CBody, out: Set<number>): void {
    for (const e of body) this.allSlotsExpr(e, out)
  }

  allSlotsExpr(e: CExpr, out: Set<number>): void {
    for (const w of e.with) if (w.value.k === 'term') this.allSlotsTerm(w.value.term, out)
    const k = e.kind
    switch (k.k) {
      case 'true':
        return
      case 'term':
        this.allSlotsTerm(k.term, out)
        return
      case 'unify':
        this.allSlotsTerm(k.lhs, out)
        this.allSlotsTerm(k.rhs, out)
        return
      case 'callout':
        for (const a of k.args) this.allSlotsTerm(a, out)
        this.allSlotsTerm(k.out, out)
        return
      case 'print':
        for (const a of k.args) this.allSlotsTerm(a, out)
        return
      case 'somein':
        if (k.key) this.allSlotsTerm(k.key, out)
        this.allSlotsTerm(k.value, out)
        this.allSlotsTerm(k.coll, out)
        return
      case 'every':
        if (k.key) this.allSlotsTerm(k.key, out)
        this.allSlotsTerm(k.value, out)
        this.allSlotsTerm(k.domain, out)
        this.allSlotsBody(k.body, out)
        return
    }
  }
}
