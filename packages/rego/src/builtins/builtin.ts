import type { Location } from '../errors.ts'
import type { Value } from '../value/value.ts'

/** What a builtin may read from the evaluation that calls it. Everything here is injected. */
export interface BuiltinContext {
  /** True when builtin errors must surface rather than make the call undefined. */
  readonly strict: boolean
  /** Nanoseconds since the Unix epoch, fixed for one evaluation (OPA's `time.now_ns`). */
  readonly nowNs: bigint
  /** Uniform random number in [0, 1); injected so tests are deterministic. */
  readonly random: () => number
  /**
   * Memo shared by one evaluation, for builtins OPA caches per query (`rand.intn`,
   * `uuid.rfc4122`) and for expensive parses (compiled regexes may use a module-level cache).
   */
  readonly memo: Map<string, Value>
  /** Where the call is, for messages. */
  readonly location: Location | undefined
  /**
   * Account for `units` of work against the evaluation's bounds: they count as evaluation
   * steps (`maxSteps`), and the clock is checked (`timeoutMs`). Throws the evaluation's
   * `eval_limit_error` when a bound is exceeded; do not catch it. A builtin whose work or result
   * grows with an operand's value rather than its size (ranges, repeats, expansions, walks)
   * calls it as it goes, e.g. once per 10,000 elements built, so that a huge request stops in
   * time instead of exhausting memory. Absent when the builtin runs outside an evaluation.
   * work.ts has the helpers (WorkMeter, chargeWork, chargeText) and what a unit is.
   */
  readonly charge?: (units: number) => void
}

/**
 * A builtin function. Return the result, or `undefined` when the call is undefined
 * (no error). Throw a BuiltinError for errors; the evaluator prefixes the builtin's name
 * and drops the error unless evaluation is strict (or the error halts).
 */
export type BuiltinFn = (args: readonly Value[], ctx: BuiltinContext) => Value | undefined

/** A builtin that yields zero or more results per call (OPA's relations, e.g. `walk`). */
export type BuiltinRelationFn = (args: readonly Value[], ctx: BuiltinContext) => Iterable<Value>

export interface BuiltinDef {
  readonly name: string
  /** Number of declared operands (the output argument not counted). */
  readonly arity: number
  readonly fn: BuiltinFn
  /** Set for relations: then `relation` is called instead of `fn`. */
  readonly relation?: BuiltinRelationFn
  /** True for builtins that are not deterministic (time.now_ns, rand.intn, http.send...). */
  readonly nondeterministic?: boolean
  /** True for builtins only Rego v0 has (removed in v1: `any`, `all`, `re_match`, `set_diff`...). */
  readonly deprecated?: boolean
}

export type BuiltinErrorCode = 'eval_type_error' | 'eval_builtin_error'

/** An error raised inside a builtin. `halt` errors are never suppressed (OPA's topdown.Halt). */
export class BuiltinError extends Error {
  readonly code: BuiltinErrorCode
  readonly halt: boolean
  constructor(code: BuiltinErrorCode, message: string, options?: { halt?: boolean; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'BuiltinError'
    this.code = code
    this.halt = options?.halt ?? false
  }
}

/** Shorthand for defining a builtin. */
export function builtin(name: string, arity: number, fn: BuiltinFn, extra?: Partial<BuiltinDef>): BuiltinDef {
  return { name, arity, fn, ...extra }
}
