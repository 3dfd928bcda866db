import { keyOf } from '../value/value.ts'
import type { CExpr, CTerm } from './ir.ts'
import { emptyVarSets, type VarCollector, type VarSets } from './var-analysis.ts'

/** A set of bound slots: explicit members, plus every slot outside the body's own scope. */
export interface BoundSet {
  has(slot: number): boolean
  add(slot: number): void
}

export function boundSet(initial: Iterable<number>, outer?: (slot: number) => boolean): BoundSet {
  const s = new Set(initial)
  return {
    has: (slot) => s.has(slot) || (outer !== undefined && outer(slot)),
    add: (slot) => void s.add(slot),
  }
}

export interface ScheduleResult {
  readonly ordered: CExpr[]
  /** Expressions that could never run, with the slots they were missing. */
  readonly unsafe: { readonly expr: CExpr; readonly slots: number[] }[]
}

/**
 * Order a body so that each expression's inputs are bound before it runs, keeping source order
 * where possible (OPA's reordering for safety).
 */
export function schedule(
  body: readonly CExpr[],
  bound: BoundSet,
  vars: VarCollector,
  wildcards: ReadonlySet<number>,
): ScheduleResult {
  const remaining = [...body]
  const ordered: CExpr[] = []
  const elsewhere = occurrences(body, vars)
  while (remaining.length > 0) {
    let picked = -1
    let outputs: Set<number> | null = null
    for (let i = 0; i < remaining.length; i++) {
      outputs = readyExpr(remaining[i] as CExpr, bound, vars, wildcards, elsewhere)
      if (outputs) {
        picked = i
        break
      }
    }
    if (picked < 0 || !outputs) {
      const unsafe = remaining.map((expr) => ({ expr, slots: missing(expr, bound, vars, wildcards, elsewhere) }))
      return { ordered: [...ordered, ...remaining], unsafe }
    }
    ordered.push(remaining[picked] as CExpr)
    remaining.splice(picked, 1)
    for (const s of outputs) bound.add(s)
  }
  return { ordered, unsafe: [] }
}

function occurrences(body: readonly CExpr[], vars: VarCollector): Map<number, number> {
  const counts = new Map<number, number>()
  for (const e of body) {
    const s = new Set<number>()
    vars.allSlotsExpr(e, s)
    for (const x of s) counts.set(x, (counts.get(x) ?? 0) + 1)
  }
  return counts
}

function allOf(s: Iterable<number>, bound: BoundSet): boolean {
  for (const x of s) if (!bound.has(x)) return false
  return true
}

function collect(t: CTerm, mode: keyof VarSets, vars: VarCollector, out = emptyVarSets()): VarSets {
  vars.term(t, mode, out)
  return out
}

/** The slots an expression needs bound, and the slots it binds. */
function needsAndOutputs(
  e: CExpr,
  vars: VarCollector,
  wildcards: ReadonlySet<number>,
  elsewhere: Map<number, number>,
): { needs: Set<number>; outputs: Set<number> } | 'unify' {
  const needs = new Set<number>()
  const outputs = new Set<number>()
  for (const w of e.with) if (w.value.k === 'term') vars.allSlotsTerm(w.value.term, needs)
  const k = e.kind
  if (e.negated) {
    const all = new Set<number>()
    vars.allSlotsExpr(e, all)
    for (const s of all) if (!wildcards.has(s) && !isClosureLocal(e, s, vars)) needs.add(s)
    return { needs, outputs }
  }
  switch (k.k) {
    case 'true':
      break
    case 'term': {
      const v = collect(k.term, 'required', vars)
      for (const s of v.required) if (!v.refpath.has(s)) needs.add(s)
      for (const s of v.pattern) if (!v.refpath.has(s)) needs.add(s)
      for (const s of v.refpath) outputs.add(s)
      break
    }
    case 'unify':
      return 'unify'
    case 'callout': {
      const v = emptyVarSets()
      for (const a of k.args) vars.term(a, 'required', v)
      const o = collect(k.out, 'pattern', vars)
      for (const s of v.required) if (!v.refpath.has(s)) needs.add(s)
      for (const s of v.pattern) if (!v.refpath.has(s)) needs.add(s)
      for (const s of o.required) needs.add(s)
      for (const s of o.pattern) outputs.add(s)
      for (const s of v.refpath) outputs.add(s)
      for (const s of o.refpath) outputs.add(s)
      break
    }
    case 'print': {
      const v = emptyVarSets()
      for (const a of k.args) vars.term(a, 'required', v)
      for (const s of v.required) needs.add(s)
      for (const s of v.pattern) needs.add(s)
      for (const s of v.refpath) if (!wildcards.has(s) && (elsewhere.get(s) ?? 0) > 1) needs.add(s)
      break
    }
    case 'somein': {
      const c = collect(k.coll, 'required', vars)
      const p = emptyVarSets()
      if (k.key) vars.term(k.key, 'pattern', p)
      vars.term(k.value, 'pattern', p)
      for (const s of c.required) needs.add(s)
      for (const s of c.pattern) needs.add(s)
      for (const s of p.required) needs.add(s)
      for (const s of p.pattern) outputs.add(s)
      for (const s of c.refpath) outputs.add(s)
      for (const s of p.refpath) outputs.add(s)
      break
    }
    case 'every': {
      const d = collect(k.domain, 'required', vars)
      for (const s of d.required) needs.add(s)
      for (const s of d.pattern) needs.add(s)
      for (const s of d.refpath) outputs.add(s)
      for (const s of vars.everyFree(e as CExpr & { kind: { k: 'every' } })) needs.add(s)
      break
    }
  }
  return { needs, outputs }
}

function isClosureLocal(e: CExpr, slot: number, vars: VarCollector): boolean {
  // Slots created inside closures of a negated expression belong to those closures.
  const k = e.kind
  if (k.k === 'every') {
    const free = vars.everyFree(e as CExpr & { kind: { k: 'every' } })
    const all = new Set<number>()
    vars.allSlotsBody(k.body, all)
    if (k.key) vars.allSlotsTerm(k.key, all)
    vars.allSlotsTerm(k.value, all)
    return all.has(slot) && !free.has(slot)
  }
  const direct = emptyVarSets()
  const terms: CTerm[] =
    k.k === 'term' ? [k.term] : k.k === 'unify' ? [k.lhs, k.rhs] : k.k === 'callout' ? [...k.args, k.out] : []
  for (const t of terms) vars.term(t, 'pattern', direct)
  return !direct.pattern.has(slot) && !direct.refpath.has(slot) && !direct.required.has(slot)
}

export function readyExpr(
  e: CExpr,
  bound: BoundSet,
  vars: VarCollector,
  wildcards: ReadonlySet<number>,
  elsewhere: Map<number, number>,
): Set<number> | null {
  const no = needsAndOutputs(e, vars, wildcards, elsewhere)
  if (no === 'unify') {
    const k = e.kind as { k: 'unify'; lhs: CTerm; rhs: CTerm }
    const withNeeds = new Set<number>()
    for (const w of e.with) if (w.value.k === 'term') vars.allSlotsTerm(w.value.term, withNeeds)
    if (!allOf(withNeeds, bound)) return null
    return unifyReady(k.lhs, k.rhs, bound, vars)
  }
  return allOf(no.needs, bound) ? no.outputs : null
}

function unifyReady(a: CTerm, b: CTerm, bound: BoundSet, vars: VarCollector): Set<number> | null {
  if (a.k === 'array' && b.k === 'array' && a.items.length === b.items.length) {
    return pairsReady(
      a.items.map((x, i) => [x, b.items[i] as CTerm] as const),
      bound,
      vars,
    )
  }
  if (a.k === 'object' && b.k === 'object' && a.entries.length === b.entries.length) {
    const keyText = (t: CTerm): string | undefined => (t.k === 'const' ? keyOf(t.v) : undefined)
    const pairs: (readonly [CTerm, CTerm])[] = []
    for (const [ka, va] of a.entries) {
      const other = b.entries.find(([kb]) => keyText(kb) !== undefined && keyText(kb) === keyText(ka))
      if (other) pairs.push([va, other[1]])
    }
    if (pairs.length === a.entries.length) {
      const r = pairsReady(pairs, bound, vars)
      if (r) return r
    }
  }
  const A = collect(a, 'pattern', vars)
  const B = collect(b, 'pattern', vars)
  const evalA = allOf(A.required, bound) && allOf(A.pattern, bound)
  const evalB = allOf(B.required, bound) && allOf(B.pattern, bound)
  if ((evalA && allOf(B.required, bound)) || (evalB && allOf(A.required, bound))) {
    return new Set([...A.pattern, ...B.pattern, ...A.refpath, ...B.refpath])
  }
  return null
}

function pairsReady(pairs: (readonly [CTerm, CTerm])[], bound: BoundSet, vars: VarCollector): Set<number> | null {
  const local = new Set<number>()
  const view: BoundSet = { has: (s) => local.has(s) || bound.has(s), add: (s) => void local.add(s) }
  const rest = [...pairs]
  while (rest.length > 0) {
    const i = rest.findIndex(([x, y]) => unifyReady(x, y, view, vars) !== null)
    if (i < 0) return null
    const [x, y] = rest[i] as readonly [CTerm, CTerm]
    for (const s of unifyReady(x, y, view, vars) as Set<number>) local.add(s)
    rest.splice(i, 1)
  }
  return local
}

function missing(
  e: CExpr,
  bound: BoundSet,
  vars: VarCollector,
  wildcards: ReadonlySet<number>,
  elsewhere: Map<number, number>,
): number[] {
  const no = needsAndOutputs(e, vars, wildcards, elsewhere)
  const all = new Set<number>()
  if (no === 'unify') vars.allSlotsExpr(e, all)
  else for (const s of no.needs) all.add(s)
  return [...all].filter((s) => !bound.has(s))
}
