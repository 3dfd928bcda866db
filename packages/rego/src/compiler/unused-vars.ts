import type { Body, Expr, Module, Rule, Term } from '../ast/ast.ts'
import { RegoError, type Location } from '../errors.ts'
import { patternVars } from './ast-vars.ts'
import { exprTerms, forEachComprehension } from './ast-walk.ts'

/**
 * Strict mode: `assigned var x unused` for a variable assigned with `:=` that nothing after the
 * assignment refers to (in its body, a nested body, or the rule head), and `unused argument x`
 * for a function parameter that neither the head nor any body (`else` included) refers to.
 * This follows OPA's local variable rewriting: each body (rule, comprehension, `every`) is a
 * scope; a name refers to the innermost declaration; a rule body shares its scope with the
 * parameters.
 */
export function checkUnusedVars(m: Module, errors: RegoError[]): void {
  for (const rule of m.rules) checkRule(rule, errors)
}

type Occurrence = 'param' | 'seen' | 'assigned' | 'declared'

interface Binding {
  readonly occurrence: Occurrence
  /** Occurrences so far, the declaration included. */
  uses: number
  readonly loc: Location
}

type Level = Map<string, Binding>

/** Names that never refer to a declaration here (a local `input` is an error of its own). */
const UNBOUND_NAMES = new Set(['_', 'input', 'data'])
const NOWHERE: Location = { file: '', row: 0, col: 0 }

function checkRule(rule: Rule, errors: RegoError[]): void {
  const head = rule.head
  const params: Level = new Map()
  for (const a of head.args ?? []) declareParams(a, params, head.loc)
  const unused = new Set(params.keys())
  const branches = [{ value: head.value, body: rule.body }, ...rule.elses]
  for (const br of branches) {
    const scope = new Scopes(new Map([...params].map(([n, b]) => [n, { ...b }])))
    // What the head refers to counts as used, when the head refers to variables at all.
    const headTerms = [...head.ref.slice(1), ...(head.key ? [head.key] : []), ...(br.value ? [br.value] : [])]
    const used = new Set<string>()
    if ([...headTerms, ...(head.args ?? [])].some((t) => !isScalar(t))) {
      // Comprehensions in the head are scopes of their own.
      const inHead: Term[] = []
      for (const t of [head.key, br.value]) if (t) forEachComprehension(t, (c) => inHead.push(c))
      for (const c of inHead) new Scopes(new Map()).term(c, errors)
      for (const t of headTerms) if (!isScalar(t)) allVarNames(t, used)
      if (br.value && !isScalar(br.value)) {
        const valueVars = new Set<string>()
        allVarNames(br.value, valueVars)
        for (const v of valueVars) unused.delete(v)
      }
    }
    scope.body(br.body, used, errors)
    for (const p of [...unused]) if ((scope.lookup(p)?.uses ?? 0) > 1) unused.delete(p)
  }
  for (const p of unused) {
    const message = `unused argument ${p}. (hint: use _ (wildcard variable) instead)`
    errors.push(new RegoError('rego_compile_error', message, head.loc))
  }
}

/** Function parameters: each name once, a repeated one counts as a use. */
function declareParams(t: Term, level: Level, loc: Location): void {
  switch (t.type) {
    case 'var': {
      if (t.name === '_') return
      const b = level.get(t.name)
      if (b) b.uses++
      else level.set(t.name, { occurrence: 'param', uses: 1, loc })
      return
    }
    case 'array':
      for (const x of t.items) declareParams(x, level, loc)
      return
    case 'object':
      for (const e of t.entries) declareParams(e.value, level, loc)
      return
    case 'ref':
      declareParams(t.head, level, loc)
      for (const p of t.path) declareParams(p, level, loc)
      return
    default:
      return
  }
}

/** The nested scopes of a body: names to their innermost declaration. */
class Scopes {
  private readonly levels: Level[]

  constructor(base: Level) {
    this.levels = [base]
  }

  lookup(name: string): Binding | undefined {
    for (let i = this.levels.length - 1; i >= 0; i--) {
      const b = this.levels[i]?.get(name)
      if (b) return b
    }
    return undefined
  }

  private get top(): Level {
    return this.levels[this.levels.length - 1] as Level
  }

  /** A declaration in the innermost scope (a second one there is an error reported elsewhere). */
  private declare(name: string, occurrence: Occurrence, loc: Location): void {
    if (name === '_' || this.top.has(name)) return
    this.top.set(name, { occurrence, uses: 1, loc })
  }

  private use(name: string): void {
    if (UNBOUND_NAMES.has(name)) return
    const b = this.lookup(name)
    if (b) b.uses++
    else this.top.set(name, { occurrence: 'seen', uses: 1, loc: NOWHERE })
  }

  /** The expressions of a body in its scope (the innermost); `used`: names the body's owner uses. */
  body(b: Body, used: ReadonlySet<string>, errors: RegoError[]): void {
    for (const e of b) this.expr(e, errors)
    for (const [name, binding] of this.top) {
      // A local `input` or `data` is an error of its own already.
      if (binding.occurrence === 'assigned' && binding.uses <= 1 && !used.has(name) && !UNBOUND_NAMES.has(name)) {
        errors.push(new RegoError('rego_compile_error', `assigned var ${name} unused`, binding.loc))
      }
    }
  }

  private expr(e: Expr, errors: RegoError[]): void {
    const k = e.kind
    switch (k.type) {
      case 'assign':
        if (e.negated) return
        this.term(k.rhs, errors)
        for (const w of e.with) this.term(w.value, errors)
        for (const v of patternVars(k.lhs)) this.declare(v.name, 'assigned', e.loc)
        return
      case 'some':
        for (const v of k.vars) this.declare(v.name, 'declared', e.loc)
        return
      case 'somein':
        for (const t of k.key ? [k.key, k.value] : [k.value]) {
          for (const v of patternVars(t)) this.declare(v.name, 'declared', e.loc)
        }
        if (k.key) this.term(k.key, errors)
        this.term(k.value, errors)
        this.term(k.collection, errors)
        break
      case 'every':
        this.term(k.domain, errors)
        this.levels.push(new Map())
        for (const t of k.key ? [k.key, k.value] : [k.value]) {
          for (const v of patternVars(t)) this.declare(v.name, 'declared', e.loc)
        }
        this.body(k.body, new Set(), errors)
        for (const w of e.with) this.term(w.value, errors)
        this.levels.pop()
        return
      case 'term':
        this.term(k.term, errors)
        break
      case 'unify':
        this.term(k.lhs, errors)
        this.term(k.rhs, errors)
        break
    }
    for (const w of e.with) {
      this.term(w.target, errors)
      this.term(w.value, errors)
    }
  }

  term(t: Term, errors: RegoError[]): void {
    switch (t.type) {
      case 'var':
        this.use(t.name)
        return
      case 'ref':
        this.term(t.head, errors)
        for (const p of t.path) this.term(p, errors)
        return
      case 'array':
      case 'set':
        for (const x of t.items) this.term(x, errors)
        return
      case 'object':
        for (const e of t.entries) {
          this.term(e.key, errors)
          this.term(e.value, errors)
        }
        return
      case 'call':
        for (const a of t.args) this.term(a, errors)
        return
      case 'arraycompr':
      case 'setcompr':
      case 'objectcompr': {
        const outputs = t.type === 'objectcompr' ? [t.key, t.value] : [t.term]
        const used = new Set<string>()
        for (const o of outputs) allVarNames(o, used)
        this.levels.push(new Map())
        this.body(t.body, used, errors)
        for (const o of outputs) this.term(o, errors)
        this.levels.pop()
        return
      }
      default:
        return
    }
  }
}

function isScalar(t: Term): boolean {
  return t.type === 'null' || t.type === 'boolean' || t.type === 'number' || t.type === 'string'
}

/** Every variable name in a term, comprehension bodies included. */
function allVarNames(t: Term, out: Set<string>): void {
  switch (t.type) {
    case 'var':
      out.add(t.name)
      return
    case 'ref':
      allVarNames(t.head, out)
      for (const p of t.path) allVarNames(p, out)
      return
    case 'array':
    case 'set':
      for (const x of t.items) allVarNames(x, out)
      return
    case 'object':
      for (const e of t.entries) {
        allVarNames(e.key, out)
        allVarNames(e.value, out)
      }
      return
    case 'call':
      for (const a of t.args) allVarNames(a, out)
      return
    case 'arraycompr':
    case 'setcompr':
      allVarNames(t.term, out)
      bodyVarNames(t.body, out)
      return
    case 'objectcompr':
      allVarNames(t.key, out)
      allVarNames(t.value, out)
      bodyVarNames(t.body, out)
      return
    default:
      return
  }
}

function bodyVarNames(b: Body, out: Set<string>): void {
  for (const e of b) {
    for (const t of exprTerms(e)) allVarNames(t, out)
    if (e.kind.type === 'every') bodyVarNames(e.kind.body, out)
  }
}
