import type { CompileOptions, CompiledPolicy, EvalOptions, ModuleSource, PreparedQuery, QueryResult } from './api.ts'
import type { Module, RegoVersion } from './ast/ast.ts'
import type { BuiltinDef } from './builtins/builtin.ts'
import { BUILTINS } from './builtins/registry.ts'
import { findNode } from './compiler/context.ts'
import { compileProgram, type CompiledProgram } from './compiler/compile.ts'
import type { CQuery } from './compiler/ir.ts'
import { combineErrors, RegoError } from './errors.ts'
import { withEngineBuiltins } from './eval/engine-builtins.ts'
import { Evaluator } from './eval/evaluator.ts'
import { parseModule, parseQuery } from './parser/index.ts'
import { RegoObject, type Value } from './value/value.ts'

let allBuiltins: ReadonlyMap<string, BuiltinDef> | undefined
const ALL_BUILTINS = (): ReadonlyMap<string, BuiltinDef> => (allBuiltins ??= withEngineBuiltins(BUILTINS))

const DEFAULT_MAX_STEPS = 10_000_000
const DEFAULT_TIMEOUT_MS = 10_000
/**
 * Nesting of rules, functions and comprehensions. The evaluator recurses on the JS stack; with
 * Node's default stack about 300 to 1,000 levels fit, depending on how much each level
 * iterates, so the default stays below the lowest of those (beyond it, running out of stack
 * is an eval_limit_error too).
 */
const DEFAULT_MAX_DEPTH = 250

/** Parse and compile policy modules; see CompiledPolicy. */
export function compile(modules: readonly ModuleSource[], options: CompileOptions = {}): CompiledPolicy {
  const version = options.regoVersion ?? 1
  const parsed: Module[] = []
  const errors: RegoError[] = []
  for (const m of modules) {
    try {
      parsed.push(
        parseModule(m.name, m.text, {
          regoVersion: m.regoVersion ?? version,
          ...(options.maxLineLength === undefined ? {} : { maxLineLength: options.maxLineLength }),
          ...(options.maxSourceLength === undefined ? {} : { maxSourceLength: options.maxSourceLength }),
        }),
      )
    } catch (e) {
      if (e instanceof RegoError) errors.push(...e.errors)
      else throw e
    }
  }
  if (errors.length > 0) throw combineErrors(errors)
  return compileParsed(parsed, options)
}

/** Compile modules already parsed (e.g. with rules added by tooling such as the explainer). */
export function compileParsed(parsed: readonly Module[], options: CompileOptions = {}): CompiledPolicy {
  const hosts = new Map<string, BuiltinDef>((options.hostFunctions ?? []).map((h) => [h.name, h]))
  const program = compileProgram(parsed, ALL_BUILTINS(), hosts, { strict: options.strict ?? false })
  return new Policy(program, parsed, options.regoVersion ?? 1)
}

class Policy implements CompiledPolicy {
  readonly modules: readonly Module[]
  readonly rulePaths: readonly string[]
  private readonly program: CompiledProgram
  private readonly version: RegoVersion

  constructor(program: CompiledProgram, modules: readonly Module[], version: RegoVersion) {
    this.program = program
    this.modules = modules
    this.version = version
    this.rulePaths = program.sets.map((s) => s.name)
  }

  prepareQuery(query: string): PreparedQuery {
    const body = parseQuery(query, { regoVersion: this.version })
    const q = this.program.compileQuery(body, this.version)
    return new Prepared(this.program, q)
  }

  evalRule(path: string, options: EvalOptions = {}): Value | undefined {
    const keys = parseDataPath(path)
    if (!keys) throw new RegoError('invalid_argument', `not a valid rule path: ${path}`)
    const data = options.data ?? new RegoObject()
    if (!this.validPath(keys, data)) throw new RegoError('invalid_argument', `not a valid rule path: ${path}`)
    return newEvaluator(this.program, options).document(keys)
  }

  private validPath(keys: readonly Value[], data: Value): boolean {
    let node = this.program.root
    for (const k of keys) {
      if (node.rules) return node.rules.kind !== 'function'
      const child = findNode(node, [k])
      if (!child) break
      node = child
    }
    if (findNode(this.program.root, keys)) return true
    let cur: Value | undefined = data
    for (const k of keys) {
      if (!(cur instanceof RegoObject)) return false
      cur = cur.get(k)
      if (cur === undefined) return false
    }
    return true
  }
}

class Prepared implements PreparedQuery {
  private readonly program: CompiledProgram
  private readonly query: CQuery

  constructor(program: CompiledProgram, query: CQuery) {
    this.program = program
    this.query = query
  }

  eval(options: EvalOptions = {}): QueryResult[] {
    return newEvaluator(this.program, options).query(this.query)
  }
}

function newEvaluator(program: CompiledProgram, options: EvalOptions): Evaluator {
  return new Evaluator({
    root: program.root,
    input: options.input,
    data: options.data ?? new RegoObject(),
    strict: options.strictBuiltinErrors ?? false,
    maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    nowNs: options.nowNs ?? BigInt(Date.now()) * 1_000_000n,
    random: options.random ?? Math.random,
    print: options.print,
  })
}

/** `data.a.b["c-d"][0]` → ["a", "b", "c-d", 0]; undefined when not such a path. */
export function parseDataPath(path: string): Value[] | undefined {
  const m = /^data/.exec(path.trim())
  if (!m) return undefined
  const text = path.trim()
  const keys: Value[] = []
  const re = /\.([A-Za-z_][A-Za-z0-9_]*)|\[("(?:[^"\\]|\\.)*")\]|\[(-?[0-9]+)\]/y
  re.lastIndex = 4
  while (re.lastIndex < text.length) {
    const r = re.exec(text)
    if (!r) return undefined
    if (r[1] !== undefined) keys.push(r[1])
    else if (r[2] !== undefined) keys.push(JSON.parse(r[2]) as string)
    else keys.push(Number(r[3]))
  }
  return keys
}
