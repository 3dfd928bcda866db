import type { Location } from '../errors.ts'
import { toRegoText } from '../value/rego-text.ts'
import type { Value } from '../value/value.ts'
import { compileError, findNode, functionAt, type NameContext } from './context.ts'
import type { FnRef } from './ir.ts'

/** How the names of a module (or query) resolve: globals, data paths, functions and builtins. */
export class NameResolver {
  readonly ctx: NameContext

  constructor(ctx: NameContext) {
    this.ctx = ctx
  }

  protected isGlobal(name: string): boolean {
    return name === 'input' || name === 'data' || this.ctx.imports.has(name) || this.ctx.ruleNames.has(name)
  }

  /** The data path a dotted name denotes, when it denotes one (import alias, package rule). */
  protected dataPath(name: readonly string[]): Value[] | undefined {
    const first = name[0] as string
    const imp = this.ctx.imports.get(first)
    if (imp) return imp.root === 'data' ? [...imp.path, ...name.slice(1)] : undefined
    if (first === 'data') return name.slice(1)
    if (this.ctx.ruleNames.has(first)) return [...this.ctx.pkg, ...name]
    return undefined
  }

  /** OPA replaces rego.metadata.chain() and rego.metadata.rule() in rules by constants. */
  protected metadataValue(name: readonly string[]): Value | undefined {
    const md = this.ctx.metadata
    if (!md || name.length !== 3 || name[0] !== 'rego' || name[1] !== 'metadata') return undefined
    if (this.dataPath(name)) return undefined
    return name[2] === 'chain' ? md.chain() : name[2] === 'rule' ? md.rule() : undefined
  }

  resolveCall(name: readonly string[], loc: Location, quiet = false): FnRef | undefined {
    const path = this.dataPath(name)
    const root = this.ctx.program.root
    if (path) {
      const rs = functionAt(root, path)
      if (rs) return { kind: 'rule', key: rs.name, rules: rs }
      if (findNode(root, path)?.rules && !quiet) {
        compileError(this.ctx, 'rego_type_error', `undefined function data.${dotted(path)}`, loc)
        return undefined
      }
    }
    const joined = name.join('.')
    if (joined === 'print' || joined === 'internal.print') return { kind: 'print', key: joined }
    const host = this.ctx.program.hosts.get(joined)
    if (host) return { kind: 'builtin', key: joined, def: host, host: true }
    const def = this.ctx.program.builtins.get(joined)
    if (def) return { kind: 'builtin', key: joined, def, host: false }
    if (!quiet) {
      const shown = path ? `data.${dotted(path)}` : joined
      compileError(this.ctx, 'rego_type_error', `undefined function ${shown}`, loc)
    }
    return undefined
  }
}

/** OPA's error for a call of a deprecated builtin where those are not allowed. */
export function checkDeprecated(ctx: NameContext, fn: FnRef, loc: Location): void {
  if (fn.kind === 'builtin' && !fn.host && fn.def.deprecated && ctx.rejectDeprecated) {
    compileError(ctx, 'rego_type_error', `deprecated built-in function calls in expression: ${fn.key}`, loc)
  }
}

export function fnArity(fn: FnRef): number {
  if (fn.kind === 'builtin') return fn.def.arity
  if (fn.kind === 'rule') return fn.rules.arity
  return -1
}

/** A data path as written in messages: `a.b.c` (segments that are not strings as terms). */
function dotted(path: readonly Value[]): string {
  return path.map((p) => (typeof p === 'string' ? p : toRegoText(p))).join('.')
}
