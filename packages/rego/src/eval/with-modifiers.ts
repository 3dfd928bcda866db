import type { CExpr, CWith, FnRef } from '../compiler/ir.ts'
import { RegoObject, RegoSet, type Value } from '../value/value.ts'
import { BodyEvaluator } from './bodies.ts'
import type { Frame, K } from './eval-state.ts'
import { withOverride } from './overrides.ts'
import { setPath } from './value-access.ts'

/** `with` modifiers: input, data and function replacements for the span of one expression. */
export abstract class WithEvaluator extends BodyEvaluator {
  protected withExpr(e: CExpr, f: Frame, k: K): boolean {
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
}

function isFnRef(v: Value | FnRef): v is FnRef {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    'kind' in v &&
    !(v instanceof RegoObject) &&
    !(v instanceof RegoSet)
  )
}
