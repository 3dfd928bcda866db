import type { Body, Expr, Term, VarTerm, WithModifier } from '../ast/ast.ts'
import { RegoObject, RegoSet, type Value } from '../value/value.ts'
import { dottedName, patternVars, visitVars } from './ast-vars.ts'
import { compileError, findNode, functionAt, type NameContext } from './context.ts'
import type { CBody, CExpr, CTerm, CWith } from './ir.ts'
import { checkDeprecated, fnArity, NameResolver } from './name-resolution.ts'
import { boundSet, schedule, type BoundSet } from './schedule.ts'
import { Scope, SlotAllocator } from './scope.ts'
import { uniformExpr, uniformTerm } from './uniform-ir.ts'
import { VarCollector } from './var-analysis.ts'

const TRUE: CTerm = uniformTerm({ k: 'const', v: true })

/** Compiles the bodies and terms of one frame (a rule definition or a query). */
export class BodyCompiler extends NameResolver {
  readonly slots = new SlotAllocator()
  readonly vars: VarCollector

  constructor(ctx: NameContext) {
    super(ctx)
    this.vars = new VarCollector(ctx.program.closureSlots)
  }

  // ---- declarations ------------------------------------------------------------------------

  /** Pass 1: give every variable of a body (outside closures) a slot in `scope`. */
  declareBody(body: Body, scope: Scope): void {
    for (const e of body) this.declareExpr(e, scope)
  }

  private declareExpr(e: Expr, scope: Scope): void {
    for (const w of e.with) {
      const name = dottedName(w.value)
      if (name && scope.lookup(name[0] as string) === undefined && this.resolveCall(name, w.loc, true)) continue
      this.declareImplicit(w.value, scope)
    }
    const k = e.kind
    switch (k.type) {
      case 'some':
        return
      case 'assign':
        this.declareImplicit(k.rhs, scope)
        return
      case 'somein':
        this.declareImplicit(k.collection, scope)
        return
      case 'every':
        this.declareImplicit(k.domain, scope)
        return
      case 'term':
        this.declareImplicit(k.term, scope)
        return
      case 'unify':
        this.declareImplicit(k.lhs, scope)
        this.declareImplicit(k.rhs, scope)
        return
    }
  }

  private declareExplicit(v: VarTerm, scope: Scope, how: 'declared' | 'assigned', quiet = false): void {
    if (v.name === '_') return
    if (scope.declared.has(v.name) && !quiet) {
      compileError(this.ctx, 'rego_compile_error', `var ${v.name} ${how} above`, v.loc)
    }
    scope.names.set(v.name, this.slots.alloc(scope, v.name))
    scope.declared.add(v.name)
  }

  /** Declare the free names of a term (outside closures) that resolve to nothing else. */
  declareImplicit(t: Term, scope: Scope): void {
    visitVars(t, (v) => {
      if (v.name === '_' || scope.lookup(v.name) !== undefined || this.isGlobal(v.name)) return
      scope.names.set(v.name, this.slots.alloc(scope, v.name))
    })
  }

  // ---- terms -------------------------------------------------------------------------------

  /** A term of the AST compiled, in the uniform layout (its parts are compiled by this too). */
  term(t: Term, scope: Scope): CTerm {
    return uniformTerm(this.termOf(t, scope))
  }

  private termOf(t: Term, scope: Scope): CTerm {
    switch (t.type) {
      case 'null':
        return { k: 'const', v: null }
      case 'boolean':
      case 'number':
      case 'string':
        return { k: 'const', v: t.value }
      case 'var':
        return this.name(t, scope, [])
      case 'ref': {
        const path = t.path.map((p) => this.term(p, scope))
        if (t.head.type === 'var') return this.name(t.head, scope, path)
        const head = this.term(t.head, scope)
        return { k: 'ref', head, path }
      }
      case 'array': {
        const items = t.items.map((x) => this.term(x, scope))
        if (items.every(isConst)) return { k: 'const', v: items.map(constValue) }
        return { k: 'array', items }
      }
      case 'object': {
        const entries = t.entries.map((e) => [this.term(e.key, scope), this.term(e.value, scope)] as const)
        if (entries.every(([a, b]) => isConst(a) && isConst(b))) {
          const o = new RegoObject()
          for (const [a, b] of entries) o.set(constValue(a), constValue(b))
          return { k: 'const', v: o }
        }
        return { k: 'object', entries }
      }
      case 'set': {
        const items = t.items.map((x) => this.term(x, scope))
        if (items.every(isConst)) return { k: 'const', v: RegoSet.from(items.map(constValue)) }
        return { k: 'set', items }
      }
      case 'arraycompr':
      case 'setcompr': {
        const inner = new Scope(scope)
        this.declareBody(t.body, inner)
        this.declareImplicit(t.term, inner)
        const body = this.body(t.body, inner)
        const term = this.term(t.term, inner)
        this.closeOver(body, inner)
        return { k: t.type === 'arraycompr' ? 'acompr' : 'scompr', term, body }
      }
      case 'objectcompr': {
        const inner = new Scope(scope)
        this.declareBody(t.body, inner)
        this.declareImplicit(t.key, inner)
        this.declareImplicit(t.value, inner)
        const body = this.body(t.body, inner)
        const key = this.term(t.key, inner)
        const value = this.term(t.value, inner)
        this.closeOver(body, inner)
        return { k: 'ocompr', key, value, body }
      }
      case 'call': {
        const metadata = this.metadataValue(t.name)
        if (metadata !== undefined) {
          if (t.args.length > 0) compileError(this.ctx, 'rego_type_error', `${t.name.join('.')}: arity mismatch`, t.loc)
          return { k: 'const', v: metadata }
        }
        const fn = this.resolveCall(t.name, t.loc)
        const args = t.args.map((a) => this.term(a, scope))
        if (!fn) return { k: 'const', v: null }
        checkDeprecated(this.ctx, fn, t.loc)
        if (fn.kind === 'print') {
          compileError(this.ctx, 'rego_type_error', 'print: cannot be used as a value', t.loc)
        } else {
          const arity = fnArity(fn)
          if (args.length !== arity) {
            compileError(this.ctx, 'rego_type_error', `${fn.key}: arity mismatch`, t.loc)
          }
        }
        return { k: 'call', fn, args, loc: t.loc }
      }
    }
  }

  /** A name in value position, with an optional reference path after it. */
  private name(v: VarTerm, scope: Scope, path: CTerm[]): CTerm {
    if (v.name === '_') {
      const slot = this.slots.alloc(scope, '_')
      const head = uniformTerm({ k: 'var', slot, name: '_' })
      return path.length ? { k: 'ref', head, path } : head
    }
    const slot = scope.lookup(v.name)
    if (slot !== undefined) {
      const head = uniformTerm({ k: 'var', slot, name: v.name })
      return path.length ? { k: 'ref', head, path } : head
    }
    if (v.name === 'input') return { k: 'input', path }
    if (v.name === 'data') return { k: 'data', path }
    const imp = this.ctx.imports.get(v.name)
    if (imp) {
      const full = [...imp.path.map((x) => uniformTerm({ k: 'const', v: x })), ...path]
      return { k: imp.root, path: full }
    }
    if (this.ctx.ruleNames.has(v.name)) {
      const full = [...this.ctx.pkg, v.name].map((x) => uniformTerm({ k: 'const', v: x }))
      return { k: 'data', path: [...full, ...path] }
    }
    // Not declared by pass 1 (e.g. a head term): make it a local of this scope.
    const s = this.slots.alloc(scope, v.name)
    scope.names.set(v.name, s)
    const head = uniformTerm({ k: 'var', slot: s, name: v.name })
    return path.length ? { k: 'ref', head, path } : head
  }

  private closeOver(body: CBody, inner: Scope): void {
    this.ctx.program.closureSlots.set(body, inner.owned)
    // Closure bodies run with every outer slot already bound (free variables are closed over).
  }

  // ---- bodies ------------------------------------------------------------------------------

  /** Compile a body whose names were declared in `scope`; the result is scheduled. */
  body(body: Body, scope: Scope, bound?: BoundSet): CBody {
    const exprs = body.map((e) => this.expr(e, scope))
    const b = bound ?? boundSet([], (s) => !scope.owned.has(s))
    const r = schedule(exprs, b, this.vars, this.slots.wildcards)
    this.reportUnsafe(r.unsafe)
    return r.ordered
  }

  reportUnsafe(unsafe: readonly { expr: CExpr; slots: number[] }[]): void {
    const seen = new Set<number>()
    for (const u of unsafe) {
      for (const s of u.slots) {
        if (seen.has(s)) continue
        seen.add(s)
        const name = this.slots.names[s] ?? '_'
        compileError(this.ctx, 'rego_unsafe_var_error', `var ${name} is unsafe`, u.expr.loc)
      }
    }
    if (unsafe.length > 0 && seen.size === 0) {
      const first = unsafe[0] as { expr: CExpr }
      compileError(this.ctx, 'rego_unsafe_var_error', 'expression is unsafe', first.expr.loc)
    }
  }

  /** An expression of the AST compiled, in the uniform layout. */
  expr(e: Expr, scope: Scope): CExpr {
    return uniformExpr(this.exprOf(e, scope))
  }

  private exprOf(e: Expr, scope: Scope): CExpr {
    const withs = e.with.map((w) => this.withModifier(w, scope))
    const k = e.kind
    const base = { negated: e.negated, with: withs, loc: e.loc }
    switch (k.type) {
      case 'some':
        for (const v of k.vars) this.declareExplicit(v, scope, 'declared')
        return { ...base, kind: { k: 'true' } }
      case 'assign': {
        const rhs = this.term(k.rhs, scope)
        for (const v of patternVars(k.lhs)) this.declareExplicit(v, scope, 'assigned')
        return { ...base, kind: { k: 'unify', lhs: this.term(k.lhs, scope), rhs } }
      }
      case 'unify':
        return { ...base, kind: { k: 'unify', lhs: this.term(k.lhs, scope), rhs: this.term(k.rhs, scope) } }
      case 'somein': {
        const coll = this.term(k.collection, scope)
        if (k.key) for (const v of patternVars(k.key)) this.declareExplicit(v, scope, 'declared', true)
        for (const v of patternVars(k.value)) this.declareExplicit(v, scope, 'declared', true)
        return {
          ...base,
          kind: {
            k: 'somein',
            key: k.key ? this.term(k.key, scope) : undefined,
            value: this.term(k.value, scope),
            coll,
          },
        }
      }
      case 'every': {
        const domain = this.term(k.domain, scope)
        const inner = new Scope(scope)
        if (k.key) for (const v of patternVars(k.key)) this.declareExplicit(v, inner, 'declared', true)
        for (const v of patternVars(k.value)) this.declareExplicit(v, inner, 'declared', true)
        this.declareBody(k.body, inner)
        const key = k.key ? this.term(k.key, inner) : undefined
        const value = this.term(k.value, inner)
        const bound = boundSet([], (s) => !inner.owned.has(s))
        const bindAll = (t: CTerm | undefined): void => {
          if (t) for (const s of collectSlots(this.vars, t)) bound.add(s)
        }
        bindAll(key)
        bindAll(value)
        const body = this.body(k.body, inner, bound)
        this.ctx.program.closureSlots.set(body, inner.owned)
        return { ...base, kind: { k: 'every', key, value, domain, body } }
      }
      case 'term': {
        const t = k.term
        const metadata = t.type === 'call' ? this.metadataValue(t.name) : undefined
        if (metadata !== undefined && t.type === 'call' && t.args.length === 1 && t.args[0]) {
          return {
            ...base,
            kind: { k: 'unify', lhs: this.term(t.args[0], scope), rhs: uniformTerm({ k: 'const', v: metadata }) },
          }
        }
        if (t.type === 'call' && metadata === undefined) {
          const fn = this.resolveCall(t.name, t.loc)
          const args = t.args.map((a) => this.term(a, scope))
          if (!fn) return { ...base, kind: { k: 'true' } }
          checkDeprecated(this.ctx, fn, t.loc)
          if (fn.kind === 'print') return { ...base, kind: { k: 'print', args } }
          const arity = fnArity(fn)
          if (args.length === arity + 1) {
            return { ...base, kind: { k: 'callout', fn, args: args.slice(0, arity), out: args[arity] as CTerm } }
          }
          if (args.length !== arity) {
            compileError(this.ctx, 'rego_type_error', `${fn.key}: arity mismatch`, t.loc)
          }
          return { ...base, kind: { k: 'term', term: uniformTerm({ k: 'call', fn, args, loc: t.loc }) } }
        }
        return { ...base, kind: { k: 'term', term: this.term(t, scope) } }
      }
    }
  }

  private withModifier(w: WithModifier, scope: Scope): CWith {
    const t = w.target
    const headName = t.type === 'var' ? t.name : t.head.type === 'var' ? t.head.name : undefined
    const segs: Value[] = []
    let constPath = true
    if (t.type === 'ref') {
      for (const p of t.path) {
        if (p.type === 'string' || p.type === 'number' || p.type === 'boolean') segs.push(p.value)
        else constPath = false
      }
    }
    if (!headName || !constPath) {
      compileError(
        this.ctx,
        'rego_compile_error',
        'with keyword target must reference existing input, data, or a function',
        w.loc,
      )
      return { target: { k: 'input', path: [] }, value: { k: 'term', term: TRUE } }
    }
    const value = this.withValue(w.value, scope)
    if (headName === 'input') return { target: { k: 'input', path: segs }, value }
    const names = [headName, ...segs.map(String)]
    const path = this.dataPath(names)
    if (path) {
      const rs = functionAt(this.ctx.program.root, path)
      if (rs) return { target: { k: 'fn', key: rs.name }, value }
      return { target: { k: 'data', path }, value }
    }
    const fn = this.resolveCall(names, w.loc, true)
    if (fn && fn.kind !== 'rule') return { target: { k: 'fn', key: fn.key }, value }
    compileError(
      this.ctx,
      'rego_compile_error',
      'with keyword target must reference existing input, data, or a function',
      w.loc,
    )
    return { target: { k: 'input', path: [] }, value }
  }

  private withValue(v: Term, scope: Scope): CWith['value'] {
    const name = dottedName(v)
    if (name && scope.lookup(name[0] as string) === undefined) {
      const first = name[0] as string
      if (first !== 'input' && !(first === 'data' && name.length === 1)) {
        const path = this.dataPath(name)
        const rs = path ? functionAt(this.ctx.program.root, path) : undefined
        if (rs) return { k: 'fn', fn: { kind: 'rule', key: rs.name, rules: rs } }
        if (!path || !findNode(this.ctx.program.root, path)) {
          const fn = this.resolveCall(name, v.loc, true)
          if (fn && fn.kind === 'builtin') return { k: 'fn', fn }
        }
      }
    }
    this.declareImplicit(v, scope)
    return { k: 'term', term: this.term(v, scope) }
  }
}

function isConst(t: CTerm): t is CTerm & { k: 'const' } {
  return t.k === 'const'
}

function constValue(t: CTerm): Value {
  return (t as CTerm & { k: 'const' }).v
}

function collectSlots(vars: VarCollector, t: CTerm): Set<number> {
  const s = new Set<number>()
  vars.allSlotsTerm(t, s)
  return s
}

export { TRUE }
