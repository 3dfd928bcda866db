import type { PrintEvent } from '../api.ts'
import type { BuiltinContext } from '../builtins/builtin.ts'
import type { CBody, CExpr, CTerm, FnRef, RuleNode, RuleSet } from '../compiler/ir.ts'
import { RegoError, type Location } from '../errors.ts'
import type { Value } from '../value/value.ts'
import type { Overrides } from './overrides.ts'

/** The variable slots of one rule definition, function call or query. */
export type Frame = (Value | undefined)[]
/** A continuation: true stops the search (a result was enough), false asks for more. */
export type K = () => boolean
/** A continuation that receives a value. */
export type VK = (v: Value) => boolean

/** A term that may have several values (or binds variables): evaluate it with `multi`. */
export const MULTI: unique symbol = Symbol('multi')
export type Sync = Value | undefined | typeof MULTI

export const UNDEF: unique symbol = Symbol('undefined')
export const BUSY: unique symbol = Symbol('busy')
/** A rule's cached value: UNDEF when undefined, BUSY while it is being computed. */
export type Cached = Value | typeof UNDEF | typeof BUSY

export type Mock = { readonly value: Value } | { readonly fn: FnRef }

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

/** What `with` replaces, saved and restored around the expressions it applies to. */
export interface Scoped {
  input: Value | undefined
  ov: Overrides | undefined
  mocks: Map<string, Mock> | undefined
  cache: Map<RuleSet, Cached>
}

/** A frame of `n` unbound slots. */
export function newFrame(n: number): Frame {
  return new Array<Value | undefined>(n)
}

export function conflict(message: string, loc: Location | undefined): RegoError {
  return new RegoError('eval_conflict_error', message, loc)
}

/**
 * The state of one evaluation and its limits. The evaluator is split by concern into a chain
 * of classes (terms, unification, bodies, with, print, data tree, rules, calls); the methods
 * declared abstract here are the ones the layers call across that chain.
 */
export abstract class EvalState {
  protected readonly root: RuleNode
  protected readonly base: Value
  protected input: Value | undefined
  protected ov: Overrides | undefined = undefined
  protected mocks: Map<string, Mock> | undefined = undefined
  protected cache = new Map<RuleSet, Cached>()
  protected readonly strict: boolean
  private steps = 0
  private readonly maxSteps: number
  private readonly deadline: number
  protected depth = 0
  protected readonly maxDepth: number
  protected readonly print: ((e: PrintEvent) => void) | undefined
  protected readonly ctx: { -readonly [P in keyof BuiltinContext]: BuiltinContext[P] }

  constructor(s: EvalSettings) {
    this.root = s.root
    this.base = s.data
    this.input = s.input
    this.strict = s.strict
    this.maxSteps = s.maxSteps
    this.deadline = Date.now() + s.timeoutMs
    this.maxDepth = s.maxDepth
    this.print = s.print
    this.ctx = {
      strict: s.strict,
      nowNs: s.nowNs,
      random: s.random,
      memo: new Map(),
      location: undefined,
      charge: (units) => {
        this.charge(units)
      },
    }
  }

  // ---- limits ------------------------------------------------------------------------------

  /** Count a step of evaluation (an expression); checks the step and time limits. */
  protected step(loc: Location): void {
    const n = ++this.steps
    if (n > this.maxSteps) {
      throw new RegoError('eval_limit_error', `evaluation exceeded the step limit (${this.maxSteps})`, loc)
    }
    if ((n & 4095) === 0 && Date.now() > this.deadline) {
      throw new RegoError('eval_limit_error', 'evaluation exceeded the time limit', loc)
    }
  }

  /** Count a step of an iteration; always true so it can prefix a condition. */
  protected tick(): boolean {
    const n = ++this.steps
    if (n > this.maxSteps)
      throw new RegoError('eval_limit_error', `evaluation exceeded the step limit (${this.maxSteps})`)
    if ((n & 4095) === 0 && Date.now() > this.deadline)
      throw new RegoError('eval_limit_error', 'evaluation exceeded the time limit')
    return true
  }

  /** Work done by a builtin (BuiltinContext.charge): steps, and a look at the clock. */
  private charge(units: number): void {
    if (units > 0) this.steps += units
    const loc = this.ctx.location
    if (this.steps > this.maxSteps)
      throw new RegoError('eval_limit_error', `evaluation exceeded the step limit (${this.maxSteps})`, loc)
    if (Date.now() > this.deadline) throw new RegoError('eval_limit_error', 'evaluation exceeded the time limit', loc)
  }

  /** Location of the rule or call entered last: where to report running out of JS stack. */
  protected entered: Location | undefined = undefined

  protected enter(loc: Location | undefined): void {
    if (loc) this.entered = loc
    if (++this.depth > this.maxDepth) {
      this.depth = 0
      throw new RegoError('eval_limit_error', `evaluation exceeded the maximum depth (${this.maxDepth})`, loc)
    }
  }

  // ---- with scoping ------------------------------------------------------------------------

  protected save(): Scoped {
    return { input: this.input, ov: this.ov, mocks: this.mocks, cache: this.cache }
  }

  protected restore(s: Scoped): void {
    this.input = s.input
    this.ov = s.ov
    this.mocks = s.mocks
    this.cache = s.cache
  }

  // ---- implemented by the layers -----------------------------------------------------------

  abstract term(t: CTerm, f: Frame, k: VK): boolean
  protected abstract first(t: CTerm, f: Frame): Value | undefined
  protected abstract sync(t: CTerm, f: Frame): Sync
  protected abstract multi(t: CTerm, f: Frame, k: VK): boolean
  protected abstract list(items: readonly CTerm[], f: Frame, k: (vals: Value[]) => boolean): boolean
  protected abstract walk(v: Value, path: readonly CTerm[], i: number, f: Frame, k: VK): boolean
  protected abstract unify(a: CTerm, b: CTerm, f: Frame, k: K): boolean
  protected abstract evaluable(t: CTerm, f: Frame): boolean
  abstract match(p: CTerm, v: Value, f: Frame, k: K): boolean
  abstract body(b: CBody, i: number, f: Frame, k: K): boolean
  protected abstract exprNoWith(e: CExpr, f: Frame, k: K): boolean
  protected abstract withExpr(e: CExpr, f: Frame, k: K): boolean
  protected abstract doPrint(args: readonly CTerm[], f: Frame, loc: Location): void
  protected abstract dataGet(keys: readonly Value[]): Value | undefined
  protected abstract walkData(
    node: RuleNode | undefined,
    base: Value | undefined,
    ov: Overrides | undefined,
    path: readonly CTerm[],
    i: number,
    f: Frame,
    k: VK,
  ): boolean
  abstract ruleValue(rs: RuleSet): Value | undefined
  protected abstract resolveMock(fn: FnRef): FnRef | { readonly value: Value } | { readonly mock: FnRef }
  protected abstract callMulti(fn: FnRef, args: Value[], loc: Location, k: VK): boolean
  protected abstract callOne(fn: FnRef, args: Value[], loc: Location): Value | undefined
  protected abstract callBuiltin(fn: FnRef & { kind: 'builtin' }, args: Value[], loc: Location): Value | undefined
  protected abstract callUser(rs: RuleSet, args: Value[], loc: Location): Value | undefined
}
