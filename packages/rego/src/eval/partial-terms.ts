import type { CTerm } from '../compiler/ir.ts'
import { uniformTerm } from '../compiler/uniform-ir.ts'
import type { Value } from '../value/value.ts'

/*
 * When `sync` finds that a term has several values it has already evaluated some of its parts.
 * It then describes the rest of the work as a "partial" term: the same term with the parts it
 * evaluated replaced by constants, which `multi` continues with instead of evaluating those
 * parts again. Only worth it when a part was costly to evaluate (a call or a comprehension,
 * which may also print): otherwise evaluating it again is cheaper than building the partial.
 */

/** Whether evaluating `t` calls a function or runs a comprehension. */
export function costly(t: CTerm): boolean {
  switch (t.k) {
    case 'const':
    case 'var':
      return false
    case 'call':
    case 'acompr':
    case 'scompr':
    case 'ocompr':
      return true
    case 'ref':
      return costly(t.head) || anyCostly(t.path, t.path.length)
    case 'input':
    case 'data':
      return anyCostly(t.path, t.path.length)
    case 'array':
    case 'set':
      return anyCostly(t.items, t.items.length)
    case 'object':
      return t.entries.some(([a, b]) => costly(a) || costly(b))
  }
}

/** Whether one of the first `n` terms is costly. */
export function anyCostly(ts: readonly CTerm[], n: number): boolean {
  for (let i = 0; i < n; i++) if (costly(ts[i] as CTerm)) return true
  return false
}

export function constTerm(v: Value): CTerm {
  return uniformTerm({ k: 'const', v })
}

/**
 * The terms `ts` with the first values.length replaced by those values, and the next one by
 * its partial if it has one.
 */
export function evaluatedPrefix(ts: readonly CTerm[], values: readonly Value[], partial: CTerm | undefined): CTerm[] {
  const out: CTerm[] = []
  for (let i = 0; i < values.length; i++) out.push(constTerm(values[i] as Value))
  for (let i = values.length; i < ts.length; i++) out.push(ts[i] as CTerm)
  if (partial !== undefined) out[values.length] = partial
  return out
}

/** `v[path...]`: a reference from an evaluated value. */
export function refFrom(v: Value, path: readonly CTerm[]): CTerm {
  return uniformTerm({ k: 'ref', head: constTerm(v), path })
}
