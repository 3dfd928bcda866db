import type { CQuery } from '../compiler/ir.ts'
import { RegoError } from '../errors.ts'
import type { Value } from '../value/value.ts'
import { CallEvaluator } from './calls.ts'
import { newFrame } from './eval-state.ts'

export type { EvalSettings } from './eval-state.ts'

/**
 * One evaluation: top-down, continuation-passing, with backtracking by unbinding slots. The
 * work is layered over eval-state.ts (limits), terms.ts, unification.ts, bodies.ts,
 * with-modifiers.ts, print.ts, data-tree.ts, rule-values.ts and calls.ts.
 */
export class Evaluator extends CallEvaluator {
  query(q: CQuery): Map<string, Value>[] {
    const f = newFrame(q.nslots)
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
        const message = `evaluation exceeded the JavaScript call stack before the maximum depth (${this.maxDepth}): rules, functions or comprehensions nested too deeply`
        throw new RegoError('eval_limit_error', message, this.entered, { cause: e })
      }
      throw e
    }
  }
}
