import type { Term, VarTerm } from '../ast/ast.ts'

/** A name or a reference with only string segments after a name: its parts (`a.b.c`). */
export function dottedName(t: Term): string[] | undefined {
  if (t.type === 'var') return [t.name]
  if (t.type !== 'ref' || t.head.type !== 'var') return undefined
  const out = [t.head.name]
  for (const p of t.path) {
    if (p.type !== 'string') return undefined
    out.push(p.value)
  }
  return out
}

/** Variables in pattern positions of a term (`x`, `[a, b]`, `{"k": v}`). */
export function patternVars(t: Term): VarTerm[] {
  const out: VarTerm[] = []
  const walk = (x: Term): void => {
    if (x.type === 'var') out.push(x)
    else if (x.type === 'array') x.items.forEach(walk)
    else if (x.type === 'object') for (const e of x.entries) walk(e.value)
  }
  walk(t)
  return out
}

/** Every variable occurrence of a term outside closures (including ref heads and paths). */
export function visitVars(t: Term, f: (v: VarTerm) => void): void {
  switch (t.type) {
    case 'var':
      f(t)
      return
    case 'ref':
      visitVars(t.head, f)
      for (const p of t.path) visitVars(p, f)
      return
    case 'array':
    case 'set':
      for (const x of t.items) visitVars(x, f)
      return
    case 'object':
      for (const e of t.entries) {
        visitVars(e.key, f)
        visitVars(e.value, f)
      }
      return
    case 'call':
      for (const a of t.args) visitVars(a, f)
      return
    default:
      return
  }
}
