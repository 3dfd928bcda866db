import type { CompileOptions, CompiledPolicy, EvalOptions, ModuleSource } from '../api.ts'
import type { Body, Expr, Module, Rule } from '../ast/ast.ts'
import { compile, compileParsed, parseDataPath } from '../engine.ts'
import { RegoError, type Location } from '../errors.ts'
import { toJsonText } from '../value/json.ts'
import { RegoObject, type Value } from '../value/value.ts'
import { referencedValues, type ReferencedValue } from './referenced-values.ts'

/** The first expression of a rule body that did not hold. */
export interface FailedExpression {
  /** Its position in the body, from 0 (a body failing at 0 did not apply at all, e.g. another TEE's). */
  readonly index: number
  /** `file:row`. */
  readonly location: string
  /** The source line it starts on, trimmed. */
  readonly text: string
  /** The `input` and base `data` values it references. */
  readonly values: readonly ReferencedValue[]
}

/** One body of the rule (a definition or an `else` branch). */
export interface BodyExplanation {
  /** `file:row` of the rule or `else`. */
  readonly location: string
  /** Absent when every expression held (the rule's value then comes from this body). */
  readonly failed?: FailedExpression
  /** When the explanation itself could not be evaluated (e.g. a limit was hit). */
  readonly error?: string
}

export interface RuleExplanation {
  /** e.g. `data.policy.allow`. */
  readonly rule: string
  /** JSON text of the rule's value; absent when undefined. */
  readonly value?: string
  /** `file:row` of the `default` rule, when there is one. */
  readonly defaultAt?: string
  readonly bodies: readonly BodyExplanation[]
}

/** Explains why a rule has the value it has, for one input; compiled once per policy. */
export interface RuleExplainer {
  explain(options: EvalOptions): RuleExplanation
}

const PROBE = 'carapace_explain__'
const MAX_TEXT = 200

interface Probe {
  readonly rulePath: string
  readonly expr: Expr
  /** Index of the module the probe rule is added to. */
  readonly module: number
  readonly rule: Rule
}

interface ExplainedBody {
  readonly location: Location
  readonly probes: readonly (Probe | undefined)[]
}

/**
 * Builds an explainer for `rulePath` (e.g. `data.policy.allow`). Each body of each definition of
 * the rule is probed: for every prefix of it a rule with just that prefix as its body is added to
 * the rule's module, so evaluating the probes in order finds the first expression that failed, in
 * the rule's own package context (imports, other rules, `with`). Compile errors in the policy
 * itself are thrown as from `compile`.
 */
export function createRuleExplainer(
  sources: readonly ModuleSource[],
  rulePath: string,
  options: CompileOptions = {},
): RuleExplainer {
  const base = compile(sources, options)
  const keys = parseDataPath(rulePath)
  if (keys === undefined) throw new RegoError('invalid_argument', `not a valid rule path: ${rulePath}`)
  const lines = new Map(sources.map((s) => [s.name, s.text.split('\n')]))
  const bodies: ExplainedBody[] = []
  let defaultAt: Location | undefined
  let count = 0
  const modules: Module[] = base.modules.map((module, index) => {
    const added: Rule[] = []
    for (const rule of module.rules) {
      if (rule.head.args !== undefined || !definesPath(module, rule, keys)) continue
      if (rule.isDefault) {
        defaultAt = rule.loc
        continue
      }
      const all = [
        { location: rule.loc, body: rule.body },
        ...rule.elses.map((e) => ({ location: e.loc, body: e.body })),
      ]
      for (const { location, body } of all) {
        const probes = body.map((expr, i) => {
          const name = `${PROBE}${String(count++)}`
          const probe = probeRule(name, body.slice(0, i + 1), expr.loc)
          added.push(probe)
          const rulePath = `data${[...module.package, name].map((k) => `[${JSON.stringify(k)}]`).join('')}`
          return { rulePath, expr, module: index, rule: probe }
        })
        bodies.push({ location, probes })
      }
    }
    return added.length === 0 ? module : { ...module, rules: [...module.rules, ...added] }
  })
  const probing = compileProbes(base.modules, modules, options, bodies)
  return {
    explain: (evalOptions) => {
      const value = base.evalRule(rulePath, evalOptions)
      const documents = { input: evalOptions.input, data: evalOptions.data ?? new RegoObject() }
      return {
        rule: rulePath,
        ...(value === undefined ? {} : { value: toJsonText(value) }),
        ...(defaultAt === undefined ? {} : { defaultAt: where(defaultAt) }),
        bodies: bodies.map((body) => explainBody(probing, body, evalOptions, documents, lines)),
      }
    },
  }
}

function definesPath(module: Module, rule: Rule, keys: readonly Value[]): boolean {
  const names: Value[] = [...module.package]
  for (const term of rule.head.ref) {
    if (term.type === 'var' && names.length === module.package.length) names.push(term.name)
    else if (term.type === 'string') names.push(term.value)
    else break
  }
  return names.length === keys.length && names.every((name, i) => name === keys[i])
}

function probeRule(name: string, body: Body, loc: Location): Rule {
  return {
    head: {
      ref: [{ type: 'var', name, loc }],
      args: undefined,
      key: undefined,
      value: undefined,
      assign: false,
      contains: false,
      loc,
    },
    body,
    isDefault: false,
    elses: [],
    loc,
  }
}

/**
 * All probes in one program; when that does not compile (a prefix can be unsafe when the
 * compiler would have reordered the body), only the probes that compile, added one at a time.
 */
function compileProbes(
  base: readonly Module[],
  modules: Module[],
  options: CompileOptions,
  bodies: ExplainedBody[],
): CompiledPolicy {
  const lenient = { ...options, strict: false }
  try {
    return compileParsed(modules, lenient)
  } catch (e) {
    if (!(e instanceof RegoError)) throw e
  }
  const kept: Module[] = [...base]
  for (const [b, body] of bodies.entries()) {
    const probes = body.probes.map((probe) => {
      if (probe === undefined) return undefined
      const module = kept[probe.module]
      if (module === undefined) return undefined
      const candidate = kept.map((m, j) => (j === probe.module ? { ...m, rules: [...m.rules, probe.rule] } : m))
      try {
        compileParsed(candidate, lenient)
      } catch (e) {
        if (!(e instanceof RegoError)) throw e
        return undefined
      }
      kept.splice(0, kept.length, ...candidate)
      return probe
    })
    bodies[b] = { location: body.location, probes }
  }
  return compileParsed(kept, lenient)
}

function explainBody(
  probing: CompiledPolicy,
  body: ExplainedBody,
  options: EvalOptions,
  documents: { input: Value | undefined; data: Value },
  lines: ReadonlyMap<string, readonly string[]>,
): BodyExplanation {
  const location = where(body.location)
  try {
    for (const [index, probe] of body.probes.entries()) {
      if (probe === undefined || probing.evalRule(probe.rulePath, options) !== undefined) continue
      const { expr } = probe
      const line = lines.get(expr.loc.file)?.[expr.loc.row - 1]?.trim() ?? ''
      return {
        location,
        failed: {
          index,
          location: where(expr.loc),
          text: line.length <= MAX_TEXT ? line : `${line.slice(0, MAX_TEXT)}…`,
          values: referencedValues(expr, documents),
        },
      }
    }
    return { location }
  } catch (e) {
    if (!(e instanceof RegoError)) throw e
    return { location, error: e.formatOne() }
  }
}

function where(loc: Location): string {
  return `${loc.file}:${String(loc.row)}`
}
