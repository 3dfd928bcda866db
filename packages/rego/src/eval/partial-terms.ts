import type { CTerm } from '../compiler/ir.ts'
import { uniformTerm } from '../compiler/uniform-ir.ts'
import type { RegoObject, Value } from '../value/value.ts'

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

/** Call t with its first args.length arguments evaluated, the next one partial if it has one. */
export function partialCall(t: CTerm & { k: 'call' }, args: readonly Value[], partial: CTerm | undefined): CTerm {
  return uniformTerm({ k: 'call', fn: t.fn, args: evaluatedPrefix(t.args, args, partial), loc: t.loc })
}

/**
 * Object t whose entries before i evaluated to `out`, entry i having several values: its key
 * (evaluated to `key` when that is not the part with several values) or its value. Undefined
 * when nothing costly was evaluated.
 */
export function partialObject(
  t: CTerm & { k: 'object' },
  i: number,
  key: Value | undefined,
  out: RegoObject,
  partial: CTerm | undefined,
): CTerm | undefined {
  const entries = t.entries
  const [a, b] = entries[i] as readonly [CTerm, CTerm]
  const before = entries.slice(0, i)
  if (partial === undefined && (key === undefined || !costly(a)) && !before.some(([x, y]) => costly(x) || costly(y))) {
    return undefined
  }
  const at: readonly [CTerm, CTerm] = key === undefined ? [partial ?? a, b] : [constTerm(key), partial ?? b]
  const done = [...out.entries()].map(([x, y]) => [constTerm(x), constTerm(y)] as const)
  return uniformTerm({ k: 'object', entries: [...done, at, ...entries.slice(i + 1)] })
}
