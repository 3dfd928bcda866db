import type { Body, Module, Rule, Term } from '../ast/ast.ts'
import type { BuiltinDef } from '../builtins/builtin.ts'
import { RegoMetadata } from '../builtins/extras/rego/metadata.ts'
import { combineErrors, RegoError, type Location } from '../errors.ts'
import type { Value } from '../value/value.ts'
import { visitVars } from './ast-vars.ts'
import { BodyCompiler, TRUE } from './body-compiler.ts'
import type { NameContext, ProgramContext } from './context.ts'
import type { CBranch, CQuery, CRuleDef, CTerm, RuleNode, RuleSet } from './ir.ts'
import { importName } from './import-names.ts'
import { checkModules } from './module-checks.ts'
import { checkRecursion } from './recursion.ts'
import { buildRuleTree, type Mount } from './rule-tree.ts'
import { boundSet } from './schedule.ts'
import { Scope } from './scope.ts'
import { emptyVarSets } from './var-analysis.ts'

export interface CompiledProgram {
  readonly root: RuleNode
  readonly sets: readonly RuleSet[]
  readonly program: ProgramContext
  /** Compile a query body (not bound to any package). */
  compileQuery(body: Body, regoVersion: 0 | 1): CQuery
}

export interface ProgramOptions {
  /** OPA's compiler strict mode (see module-checks.ts). */
  readonly strict?: boolean
}

export function compileProgram(
  modules: readonly Module[],
  builtins: ReadonlyMap<string, BuiltinDef>,
  hosts: ReadonlyMap<string, BuiltinDef>,
  options: ProgramOptions = {},
): CompiledProgram {
  const strict = options.strict ?? false
  const errors: RegoError[] = []
  checkModules(modules, strict, errors)
  const { root, mounts, sets } = buildRuleTree(modules, errors)
  const program: ProgramContext = { root, builtins, hosts, errors, closureSlots: new WeakMap() }

  const ruleNames = new Map<string, Set<string>>()
  for (const m of modules) {
    const key = m.package.join('\u0000')
    let s = ruleNames.get(key)
    if (!s) ruleNames.set(key, (s = new Set()))
    for (const r of m.rules) {
      const first = r.head.ref[0]
      if (first?.type === 'var') s.add(first.name)
    }
  }
  const contexts = new Map<Module, NameContext>()
  for (const m of modules) {
    contexts.set(m, {
      program,
      file: m.file,
      regoVersion: m.regoVersion,
      pkg: m.package,
      imports: importsOf(m),
      ruleNames: ruleNames.get(m.package.join('\u0000')) ?? new Set(),
      rejectDeprecated: strict || m.regoVersion === 1,
    })
  }
  const annotations = new RegoMetadata(modules)
  errors.push(...annotations.errors)
  for (const mount of mounts) {
    const ctx = contexts.get(mount.module) as NameContext
    const def = compileDef(mount, ctx, annotations)
    if (mount.rule.isDefault) mount.rules.defaultDef = def
    else mount.rules.defs.push(def)
  }
  if (errors.length === 0) checkRecursion(sets, root, errors)
  if (errors.length > 0) throw combineErrors(errors)

  return {
    root,
    sets,
    program,
    compileQuery(body: Body, regoVersion: 0 | 1): CQuery {
      const ctx: NameContext = {
        program,
        file: 'query',
        regoVersion,
        pkg: [],
        imports: new Map(),
        ruleNames: new Set(),
        // As OPA's, queries are not compiled in strict mode: they may call deprecated builtins.
        rejectDeprecated: false,
      }
      const before = errors.length
      const bc = new BodyCompiler(ctx)
      const scope = new Scope(undefined)
      bc.declareBody(body, scope)
      const cbody = bc.body(body, scope)
      if (errors.length > before) {
        const errs = errors.splice(before)
        throw combineErrors(errs)
      }
      const vars = [...scope.names].filter(([n]) => !n.startsWith('_') && !n.startsWith('$'))
      return { nslots: bc.slots.count, body: cbody, vars: vars.map(([name, slot]) => ({ name, slot })) }
    },
  }
}

function importsOf(m: Module): Map<string, { root: 'data' | 'input'; path: Value[] }> {
  const out = new Map<string, { root: 'data' | 'input'; path: Value[] }>()
  for (const imp of m.imports) {
    const p = imp.path
    const head = p.type === 'var' ? p.name : p.head.type === 'var' ? p.head.name : ''
    const path: string[] = []
    if (p.type === 'ref') {
      for (const t of p.path) {
        if (t.type === 'string') path.push(t.value)
        else if (t.type === 'var') path.push(t.name)
      }
    }
    if (head !== 'data' && head !== 'input') continue
    // A later import of the same name replaces an earlier one (an error in v1 and strict mode).
    out.set(importName(imp), { root: head, path })
  }
  return out
}

function compileDef(mount: Mount, ctx: NameContext, annotations: RegoMetadata): CRuleDef {
  const { rule, rules } = mount
  let elseBranch = false
  const metadata = {
    chain: () => annotations.chain(mount.module, rule, elseBranch),
    rule: () => annotations.rule(rule, elseBranch),
  }
  const bc = new BodyCompiler({ ...ctx, metadata })
  const argScope = new Scope(undefined)
  let args: CTerm[] | undefined
  if (rule.head.args) {
    for (const a of rule.head.args) {
      visitVars(a, (v) => {
        if (v.name !== '_' && !argScope.names.has(v.name)) argScope.names.set(v.name, bc.slots.alloc(argScope, v.name))
      })
    }
    args = rule.head.args.map((a) => bc.term(a, argScope))
  }
  const branches: CBranch[] = []
  let keys: CTerm[] | undefined
  const headValue = rules.kind === 'set' || mount.setLeaf ? rule.head.key : rule.head.value
  {
    const scope = new Scope(argScope)
    bc.declareBody(rule.body, scope)
    const bound = boundSet([], (s) => !scope.owned.has(s))
    const body = bc.body(rule.body, scope, bound)
    const value = headValue ? bc.term(headValue, scope) : TRUE
    keys = mount.keys?.map((k) => bc.term(k, scope))
    checkHead(bc, [value, ...(keys ?? [])], bound, rule.head.loc)
    branches.push({ body, value, loc: rule.loc })
  }
  for (const e of rule.elses) {
    elseBranch = true
    const scope = new Scope(argScope)
    bc.declareBody(e.body, scope)
    const bound = boundSet([], (s) => !scope.owned.has(s))
    const body = bc.body(e.body, scope, bound)
    const value = e.value ? bc.term(e.value, scope) : TRUE
    checkHead(bc, [value], bound, e.loc)
    branches.push({ body, value, loc: e.loc })
  }
  return { nslots: bc.slots.count, args, branches, keys, setLeaf: mount.setLeaf, loc: rule.loc }
}

function checkHead(bc: BodyCompiler, terms: CTerm[], bound: { has(s: number): boolean }, loc: Location): void {
  const vs = emptyVarSets()
  for (const t of terms) bc.vars.term(t, 'pattern', vs)
  const bad = [...vs.pattern, ...vs.required].filter((s) => !bound.has(s))
  for (const s of new Set(bad)) {
    bc.ctx.program.errors.push(new RegoError('rego_unsafe_var_error', `var ${bc.slots.names[s] ?? '_'} is unsafe`, loc))
  }
}

export type { Rule, Term }
