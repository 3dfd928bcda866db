import type { BuiltinDef } from './builtins/builtin.ts'
import type { Location } from './errors.ts'
import type { RegoVersion } from './ast/ast.ts'
import type { Value } from './value/value.ts'

/** One policy source to compile. */
export interface ModuleSource {
  /** File name used in error locations and print output, e.g. `policy.rego`. */
  readonly name: string
  readonly text: string
  /** Overrides CompileOptions.regoVersion for this module. */
  readonly regoVersion?: RegoVersion
}

export interface CompileOptions {
  /** Default 1. A v0 module containing `import rego.v1` is parsed as v1. */
  readonly regoVersion?: RegoVersion
  /**
   * Host functions callable from policies by name (e.g. Trustee's `query_reference_value`).
   * They behave like builtins; errors they throw always fail the evaluation.
   */
  readonly hostFunctions?: readonly BuiltinDef[]
  /**
   * OPA's compiler strict mode: unused imports, unused local assignments (`assigned var x
   * unused`) and unused function arguments are errors, and so are, in v0 modules too, duplicate
   * imports, `input`/`data` as rule or variable names and deprecated builtins (v1 modules always
   * reject those). The query of `prepareQuery` is not checked. Default false.
   */
  readonly strict?: boolean
  /** Lexer bounds; defaults allow 64 KiB lines and 16 MiB sources (as the Kata agent sets). */
  readonly maxLineLength?: number
  readonly maxSourceLength?: number
}

export interface PrintEvent {
  readonly message: string
  readonly location: Location
}

export interface EvalOptions {
  /** The input document; omitted means `input` is undefined. */
  readonly input?: Value
  /** The base data document (merged under rules by package path). Default `{}`. */
  readonly data?: Value
  /** Strict builtin errors: the first builtin error fails the evaluation. Default false. */
  readonly strictBuiltinErrors?: boolean
  /** Upper bound on evaluation steps (default 10,000,000). */
  readonly maxSteps?: number
  /** Wall-clock bound in ms (default 10,000). */
  readonly timeoutMs?: number
  /** Upper bound on evaluation (recursion) depth (default 250). */
  readonly maxDepth?: number
  /** Nanoseconds since the epoch for `time.now_ns` (default: the clock at evaluation start). */
  readonly nowNs?: bigint
  /** Random source for `rand.intn` / `uuid.rfc4122` (default Math.random). */
  readonly random?: () => number
  /** Receives every `print` line; without it prints are dropped. */
  readonly print?: (event: PrintEvent) => void
}

/** One result of a query: the values of its user-visible variables. */
export type QueryResult = ReadonlyMap<string, Value>

/** A query compiled against a policy; evaluate it as often as needed. */
export interface PreparedQuery {
  /** All results; an empty array means undefined. */
  eval(options?: EvalOptions): QueryResult[]
}

/** Modules compiled once, evaluated many times. */
export interface CompiledPolicy {
  /** Compile a query body (e.g. `data.policy.allow == true`, `x := data.a[_]`). */
  prepareQuery(query: string): PreparedQuery
  /**
   * Evaluate one rule (or any document) by path, e.g. `data.policy.allow`. Returns undefined
   * when the document is undefined. Throws `invalid_argument` for a path no rule or data
   * could provide ("not a valid rule path").
   */
  evalRule(path: string, options?: EvalOptions): Value | undefined
  /** Full paths of every rule, e.g. `data.policy.allow`, for `policy test` and tooling. */
  readonly rulePaths: readonly string[]
  readonly modules: readonly import('./ast/ast.ts').Module[]
}
