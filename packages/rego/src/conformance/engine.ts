import type { CompiledPolicy, CompileOptions, ModuleSource } from '../api.ts'
import type { RegoVersion, Term } from '../ast/ast.ts'

/** What the conformance runner needs from a Rego engine; injected so the runner can be tested alone. */
export interface ConformanceEngine {
  compile(modules: readonly ModuleSource[], options: CompileOptions): CompiledPolicy
  /** Parse Rego term source, for `input_term`. */
  parseTerm(text: string, regoVersion: RegoVersion): Term
}
