import { BuiltinError } from '../builtins/builtin.ts'
import type { CTerm, FnRef, RuleSet } from '../compiler/ir.ts'
import { RegoError, type Location } from '../errors.ts'
import { equal } from '../value/compare.ts'
import type { Value } from '../value/value.ts'
import { newFrame, type Frame, type VK } from './eval-state.ts'
import { producesOnly, RuleEvaluator } from './rule-values.ts'

/** Calls of builtins, host functions and user functions, and their `with` mocks. */
export abstract class CallEvaluator extends RuleEvaluator {
  protected resolveMock(fn: FnRef): FnRef | { readonly value: Value } | { readonly mock: FnRef } {
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

  protected callMulti(fn0: FnRef, args: Value[], loc: Location, k: VK): boolean {
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
      for (const r of results) if (this.tick() && k(r)) return true
      return false
    }
    const v = this.callOne(fn, args, loc)
    return v === undefined ? false : k(v)
  }

  protected callOne(fn: FnRef, args: Value[], loc: Location): Value | undefined {
    if (fn.kind === 'builtin') return this.callBuiltin(fn, args, loc)
    if (fn.kind === 'rule') return this.callUser(fn.rules, args, loc)
    return undefined
  }

  protected callBuiltin(fn: FnRef & { kind: 'builtin' }, args: Value[], loc: Location): Value | undefined {
    this.ctx.location = loc
    try {
      return fn.def.fn(args, this.ctx)
    } catch (e) {
      this.builtinFailure(fn, e, loc)
      return undefined
    }
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

  protected callUser(rs: RuleSet, args: Value[], loc: Location): Value | undefined {
    this.enter(loc)
    try {
      let result: Value | undefined
      for (const def of rs.defs) {
        if (result !== undefined && producesOnly(def, result)) continue
        const f = newFrame(def.nslots)
        const params = def.args ?? []
        const bound = bindParams(params, args, f)
        if (bound === false) continue
        if (bound) {
          result = this.defValue(def, f, result, FUNCTION_CONFLICT)
          continue
        }
        // Patterns that may bind in several ways: match them one by one.
        const go = (i: number): boolean => {
          if (i === params.length) {
            result = this.defValue(def, f, result, FUNCTION_CONFLICT)
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

const FUNCTION_CONFLICT = 'functions must not produce multiple outputs for same inputs'

/**
 * Bind the arguments to parameters that are variables or constants: false when one does not
 * match, undefined (and the frame left empty) when a parameter is a pattern that needs `match`.
 */
function bindParams(params: readonly CTerm[], args: readonly Value[], f: Frame): boolean | undefined {
  for (let i = 0; i < params.length; i++) {
    const p = params[i] as CTerm
    const a = args[i] as Value
    if (p.k === 'var') {
      const cur = f[p.slot]
      if (cur === undefined) f[p.slot] = a
      else if (!equal(cur, a)) return false
    } else if (p.k === 'const') {
      if (!equal(p.v, a)) return false
    } else {
      f.fill(undefined)
      return undefined
    }
  }
  return true
}
