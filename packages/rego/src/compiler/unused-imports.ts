import type { Body, Expr, Import, Module, Rule, Term } from '../ast/ast.ts'
import { RegoError } from '../errors.ts'
import { visitVars } from './ast-vars.ts'
import { importName, importRoot, importText } from './import-names.ts'

/**
 * Strict mode: `import data.x unused` for each import of `data` or `input` that no name of
 * the module refers to. As in OPA's resolution of names, a name refers to an import unless a
 * parameter of the rule or a variable declared in the body (`:=`, `some`) is called so.
 */
export function checkUnusedImports(m: Module, errors: RegoError[]): void {
  const imported = new Set(m.imports.filter(isDocumentImport).map(importName))
  if (imported.size === 0) return
  const used = new Set<string>()
  for (const rule of m.rules) new NameUses(imported, used).rule(rule)
  for (const imp of m.imports) {
    if (isDocumentImport(imp) && !used.has(importName(imp))) {
      errors.push(new RegoError('rego_compile_error', `${importText(imp)} unused`, imp.loc))
    }
  }
}

function isDocumentImport(imp: Import): boolean {
  const root = importRoot(imp)
  return root === 'data' || root === 'input'
}

/** Walks a rule, recording the imported names it uses. */
class NameUses {
  private readonly imported: ReadonlySet<string>
  private readonly used: Set<string>
  /** Names that are local where the walk is: parameters, declared variables. */
  private readonly locals: Set<string>[] = []

  constructor(imported: ReadonlySet<string>, used: Set<string>) {
    this.imported = imported
    this.used = used
  }

  rule(rule: Rule): void {
    const params = new Set<string>()
    for (const a of rule.head.args ?? []) paramNames(a, params)
    const branches = [{ value: rule.head.value, body: rule.body }, ...rule.elses]
    for (const br of branches) {
      this.locals.push(params, declaredIn(br.body))
      for (const t of rule.head.ref.slice(1)) this.term(t)
      if (rule.head.key) this.term(rule.head.key)
      if (br.value) this.term(br.value)
      this.body(br.body)
      this.locals.length = 0
    }
  }

  private name(name: string): void {
    if (this.imported.has(name) && !this.locals.some((s) => s.has(name))) this.used.add(name)
  }

  private term(t: Term): void {
    switch (t.type) {
      case 'var':
        this.name(t.name)
        return
      case 'ref':
        this.term(t.head)
        for (const p of t.path) this.term(p)
        return
      case 'array':
      case 'set':
        for (const x of t.items) this.term(x)
        return
      case 'object':
        for (const e of t.entries) {
          this.term(e.key)
          this.term(e.value)
        }
        return
      case 'call':
        this.name(t.name[0] as string)
        for (const a of t.args) this.term(a)
        return
      case 'arraycompr':
      case 'setcompr':
        this.locals.push(declaredIn(t.body))
        this.term(t.term)
        this.body(t.body)
        this.locals.pop()
        return
      case 'objectcompr':
        this.locals.push(declaredIn(t.body))
        this.term(t.key)
        this.term(t.value)
        this.body(t.body)
        this.locals.pop()
        return
      default:
        return
    }
  }

  private body(b: Body): void {
    for (const e of b) this.expr(e)
  }

  private expr(e: Expr): void {
    const k = e.kind
    switch (k.type) {
      case 'term':
        this.term(k.term)
        break
      case 'unify':
      case 'assign':
        this.term(k.lhs)
        this.term(k.rhs)
        break
      case 'some':
        break
      case 'somein':
        if (k.key) this.term(k.key)
        this.term(k.value)
        this.term(k.collection)
        break
      case 'every': {
        const vars = new Set<string>()
        for (const t of k.key ? [k.key, k.value] : [k.value]) visitVars(t, (v) => vars.add(v.name))
        this.locals.push(vars)
        this.term(k.domain)
        this.body(k.body)
        this.locals.pop()
        break
      }
    }
    for (const w of e.with) {
      this.term(w.target)
      this.term(w.value)
    }
  }
}

/** Names a parameter pattern binds. */
function paramNames(t: Term, out: Set<string>): void {
  switch (t.type) {
    case 'var':
      out.add(t.name)
      return
    case 'array':
      for (const x of t.items) paramNames(x, out)
      return
    case 'object':
      for (const e of t.entries) paramNames(e.value, out)
      return
    case 'ref':
      paramNames(t.head, out)
      for (const p of t.path) paramNames(p, out)
      return
    default:
      return
  }
}

/** Variables a body declares with `:=` or `some` (in `every` bodies too, not in comprehensions). */
function declaredIn(b: Body): Set<string> {
  const out = new Set<string>()
  const walk = (body: Body): void => {
    for (const e of body) {
      const k = e.kind
      if (k.type === 'assign') visitVars(k.lhs, (v) => out.add(v.name))
      else if (k.type === 'some') for (const v of k.vars) out.add(v.name)
      else if (k.type === 'somein')
        for (const t of k.key ? [k.key, k.value] : [k.value]) visitVars(t, (v) => out.add(v.name))
      else if (k.type === 'every') walk(k.body)
    }
  }
  walk(b)
  return out
}
