import type { BuiltinDef } from '../builtins/builtin.ts'
import type { Location } from '../errors.ts'
import type { Value } from '../value/value.ts'

/**
 * The compiled form of policies and queries that the evaluator runs. Variables are slots in a
 * frame (one frame per rule definition, function call or query); comprehension and `every`
 * bodies use further slots of the frame they are nested in.
 */
export type CTerm =
  | { readonly k: 'const'; readonly v: Value }
  | { readonly k: 'var'; readonly slot: number; readonly name: string }
  /** A reference whose head is a value term (local var, literal, comprehension, call). */
  | { readonly k: 'ref'; readonly head: CTerm; readonly path: readonly CTerm[] }
  | { readonly k: 'input'; readonly path: readonly CTerm[] }
  | { readonly k: 'data'; readonly path: readonly CTerm[] }
  | { readonly k: 'array'; readonly items: readonly CTerm[] }
  | { readonly k: 'object'; readonly entries: readonly (readonly [CTerm, CTerm])[] }
  | { readonly k: 'set'; readonly items: readonly CTerm[] }
  | { readonly k: 'acompr'; readonly term: CTerm; readonly body: CBody }
  | { readonly k: 'scompr'; readonly term: CTerm; readonly body: CBody }
  | { readonly k: 'ocompr'; readonly key: CTerm; readonly value: CTerm; readonly body: CBody }
  | { readonly k: 'call'; readonly fn: FnRef; readonly args: readonly CTerm[]; readonly loc: Location }

/** The function a call resolves to; `key` identifies it for `with` mocking. */
export type FnRef =
  | { readonly kind: 'builtin'; readonly key: string; readonly def: BuiltinDef; readonly host: boolean }
  | { readonly kind: 'rule'; readonly key: string; readonly rules: RuleSet }
  | { readonly kind: 'print'; readonly key: string }

export type CExprKind =
  | { readonly k: 'term'; readonly term: CTerm }
  | { readonly k: 'unify'; readonly lhs: CTerm; readonly rhs: CTerm }
  /** A call whose last argument receives the result (`count(xs, n)`, `walk(x, [p, v])`). */
  | { readonly k: 'callout'; readonly fn: FnRef; readonly args: readonly CTerm[]; readonly out: CTerm }
  | { readonly k: 'print'; readonly args: readonly CTerm[] }
  | { readonly k: 'somein'; readonly key: CTerm | undefined; readonly value: CTerm; readonly coll: CTerm }
  | {
      readonly k: 'every'
      readonly key: CTerm | undefined
      readonly value: CTerm
      readonly domain: CTerm
      readonly body: CBody
    }
  | { readonly k: 'true' }

export type WithTarget =
  | { readonly k: 'input'; readonly path: readonly Value[] }
  | { readonly k: 'data'; readonly path: readonly Value[] }
  | { readonly k: 'fn'; readonly key: string }

export type WithValue = { readonly k: 'term'; readonly term: CTerm } | { readonly k: 'fn'; readonly fn: FnRef }

export interface CWith {
  readonly target: WithTarget
  readonly value: WithValue
}

export interface CExpr {
  readonly kind: CExprKind
  readonly negated: boolean
  readonly with: readonly CWith[]
  readonly loc: Location
}

export type CBody = readonly CExpr[]

/** One branch of a definition: the main body or an `else`. */
export interface CBranch {
  readonly body: CBody
  readonly value: CTerm
  readonly loc: Location
}

/** One definition (rule or function body with its `else` chain). */
export interface CRuleDef {
  readonly nslots: number
  /** Function argument patterns. */
  readonly args: readonly CTerm[] | undefined
  readonly branches: readonly CBranch[]
  /** Object rules: the key terms after the mount path (`a.b[x].c` mounted at `a.b`: [x, "c"]). */
  readonly keys: readonly CTerm[] | undefined
  /** Object rules written `a[x] contains y`: the leaves are sets. */
  readonly setLeaf: boolean
  readonly loc: Location
}

export type RuleKind = 'complete' | 'set' | 'object' | 'function'

export interface RuleSet {
  readonly id: number
  readonly kind: RuleKind
  /** Path below `data`. */
  readonly path: readonly Value[]
  /** `data.a.p` */
  readonly name: string
  readonly defs: CRuleDef[]
  defaultDef: CRuleDef | undefined
  arity: number
  readonly loc: Location
}

export interface RuleNode {
  readonly key: Value
  readonly path: readonly Value[]
  readonly children: Map<string, RuleNode>
  rules: RuleSet | undefined
  /** True when some rule (not function) is at or below this node. */
  hasValueRules: boolean
}

export interface CQuery {
  readonly nslots: number
  readonly body: CBody
  /** User-visible variables and their slots. */
  readonly vars: readonly { readonly name: string; readonly slot: number }[]
}
