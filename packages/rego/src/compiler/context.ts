import type { BuiltinDef } from '../builtins/builtin.ts'
import type { RegoVersion } from '../ast/ast.ts'
import { RegoError, type Location } from '../errors.ts'
import { keyOf, type Value } from '../value/value.ts'
import type { RuleNode, RuleSet } from './ir.ts'

/** What every body compiler of one compile() call shares. */
export interface ProgramContext {
  readonly root: RuleNode
  readonly builtins: ReadonlyMap<string, BuiltinDef>
  readonly hosts: ReadonlyMap<string, BuiltinDef>
  readonly errors: RegoError[]
  /** Bodies of closures (comprehensions, every) and the slots they own. */
  readonly closureSlots: WeakMap<object, ReadonlySet<number>>
}

/** The module (or query) a body is compiled in: how bare names resolve. */
export interface NameContext {
  readonly program: ProgramContext
  readonly file: string
  readonly regoVersion: RegoVersion
  /** Package path below data, e.g. ["a", "b"]. Empty for queries. */
  readonly pkg: readonly string[]
  /** Import aliases: name → root and path. */
  readonly imports: ReadonlyMap<string, { readonly root: 'data' | 'input'; readonly path: readonly Value[] }>
  /** First segments of the rule heads of this package. */
  readonly ruleNames: ReadonlySet<string>
  /** Whether calling a deprecated builtin is an error (v1 modules, strict mode). */
  readonly rejectDeprecated: boolean
  /** In rule bodies: the values OPA substitutes for rego.metadata.chain() and rego.metadata.rule(). */
  readonly metadata?: { chain(): Value; rule(): Value }
}

export function compileError(ctx: NameContext, code: RegoError['code'], message: string, loc: Location): void {
  ctx.program.errors.push(new RegoError(code, message, loc))
}

/** The node at a path below data, if the rule tree has one. */
export function findNode(root: RuleNode, path: readonly Value[]): RuleNode | undefined {
  let node: RuleNode | undefined = root
  for (const seg of path) {
    if (!node) return undefined
    node = node.children.get(nodeKey(seg))
  }
  return node
}

/** Map key of a path segment in RuleNode.children. */
export function nodeKey(v: Value): string {
  return typeof v === 'string' ? v : '\u0000' + keyOf(v)
}

export function functionAt(root: RuleNode, path: readonly Value[]): RuleSet | undefined {
  const n = findNode(root, path)
  return n?.rules?.kind === 'function' ? n.rules : undefined
}
