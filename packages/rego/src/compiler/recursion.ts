import { RegoError } from '../errors.ts'
import { nodeKey } from './context.ts'
import type { CBody, CExpr, CTerm, RuleNode, RuleSet } from './ir.ts'
import { descendantRules } from './rule-tree.ts'

/** Report rules that depend on themselves (OPA's rego_recursion_error). */
export function checkRecursion(sets: readonly RuleSet[], root: RuleNode, errors: RegoError[]): void {
  const deps = new Map<RuleSet, Set<RuleSet>>()
  for (const rs of sets) {
    const out = new Set<RuleSet>()
    const onTerm = (t: CTerm): void => {
      dataDeps(t, root, out)
    }
    for (const def of [...rs.defs, ...(rs.defaultDef ? [rs.defaultDef] : [])]) {
      for (const a of def.args ?? []) walkTerm(a, onTerm)
      for (const k of def.keys ?? []) walkTerm(k, onTerm)
      for (const b of def.branches) {
        walkBody(b.body, onTerm)
        walkTerm(b.value, onTerm)
      }
    }
    deps.set(rs, out)
  }
  const state = new Map<RuleSet, 1 | 2>()
  const stack: RuleSet[] = []
  const reported = new Set<RuleSet>()
  // Depth-first, with an explicit stack: dependency chains can be longer than the JS stack.
  const visit = (start: RuleSet): void => {
    const work: { rs: RuleSet; deps: RuleSet[]; next: number }[] = []
    const open = (rs: RuleSet): void => {
      state.set(rs, 1)
      stack.push(rs)
      work.push({ rs, deps: [...(deps.get(rs) ?? [])], next: 0 })
    }
    open(start)
    while (work.length > 0) {
      const top = work[work.length - 1] as (typeof work)[number]
      const d = top.deps[top.next++]
      if (d === undefined) {
        work.pop()
        stack.pop()
        state.set(top.rs, 2)
        continue
      }
      const st = state.get(d)
      if (st === 1) {
        if (!reported.has(d)) {
          reported.add(d)
          const cycle = stack.slice(stack.indexOf(d)).map((r) => r.name)
          errors.push(
            new RegoError(
              'rego_recursion_error',
              `rule ${d.name} is recursive: ${[...cycle, d.name].join(' -> ')}`,
              d.loc,
            ),
          )
        }
      } else if (st === undefined) open(d)
    }
  }
  for (const rs of sets) if (!state.has(rs)) visit(rs)
}

function dataDeps(t: CTerm, root: RuleNode, out: Set<RuleSet>): void {
  if (t.k === 'call' && t.fn.kind === 'rule') out.add(t.fn.rules)
  if (t.k !== 'data') return
  let node = root
  for (const p of t.path) {
    if (node.rules) {
      out.add(node.rules)
      return
    }
    if (p.k !== 'const') return
    const child = node.children.get(nodeKey(p.v))
    if (!child) return
    node = child
  }
  for (const r of descendantRules(node)) if (r.kind !== 'function') out.add(r)
}

function walkBody(body: CBody, f: (t: CTerm) => void): void {
  for (const e of body) walkExpr(e, f)
}

function walkExpr(e: CExpr, f: (t: CTerm) => void): void {
  for (const w of e.with) {
    if (w.value.k === 'term') walkTerm(w.value.term, f)
  }
  const k = e.kind
  switch (k.k) {
    case 'true':
      return
    case 'term':
      walkTerm(k.term, f)
      return
    case 'unify':
      walkTerm(k.lhs, f)
      walkTerm(k.rhs, f)
      return
    case 'callout':
      f({ k: 'call', fn: k.fn, args: k.args, loc: e.loc })
      for (const a of k.args) walkTerm(a, f)
      walkTerm(k.out, f)
      return
    case 'print':
      for (const a of k.args) walkTerm(a, f)
      return
    case 'somein':
      if (k.key) walkTerm(k.key, f)
      walkTerm(k.value, f)
      walkTerm(k.coll, f)
      return
    case 'every':
      walkTerm(k.domain, f)
      walkBody(k.body, f)
      return
  }
}

function walkTerm(t: CTerm, f: (t: CTerm) => void): void {
  f(t)
  switch (t.k) {
    case 'array':
    case 'set':
      for (const x of t.items) walkTerm(x, f)
      return
    case 'object':
      for (const [a, b] of t.entries) {
        walkTerm(a, f)
        walkTerm(b, f)
      }
      return
    case 'ref':
      walkTerm(t.head, f)
      for (const x of t.path) walkTerm(x, f)
      return
    case 'input':
    case 'data':
      for (const x of t.path) walkTerm(x, f)
      return
    case 'call':
      for (const x of t.args) walkTerm(x, f)
      return
    case 'acompr':
    case 'scompr':
      walkTerm(t.term, f)
      walkBody(t.body, f)
      return
    case 'ocompr':
      walkTerm(t.key, f)
      walkTerm(t.value, f)
      walkBody(t.body, f)
      return
    default:
      return
  }
}
