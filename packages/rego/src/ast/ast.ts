import type { Location } from '../errors.ts'
import type { RegoNumber } from '../value/number.ts'
import type { Value } from '../value/value.ts'

/**
 * The Rego syntax tree, shared by the parser, the compiler and the evaluator.
 *
 * Operators are parsed into calls of OPA's builtin names so that the rest of the engine treats
 * them uniformly: `a + b` is `call(plus, a, b)`, `a == b` is `call(equal, a, b)`, `x in xs` is
 * `call(internal.member_2, x, xs)`, `k, v in xs` is `call(internal.member_3, k, v, xs)`,
 * `a | b` is `or`, `a & b` is `and`. Unary minus only forms negative number literals, as in OPA.
 * Bare `input`/`data` are plain variables; every RefTerm has a non-empty path.
 * Names: plus minus mul div rem and or equal neq lt lte gt gte.
 * `=` and `:=` are not calls: they are the `unify` and `assign` expression kinds.
 */

export type Term =
  | NullTerm
  | BooleanTerm
  | NumberTerm
  | StringTerm
  | VarTerm
  | RefTerm
  | ArrayTerm
  | ObjectTerm
  | SetTerm
  | ArrayComprehension
  | SetComprehension
  | ObjectComprehension
  | CallTerm

export interface NullTerm {
  readonly type: 'null'
  readonly loc: Location
}
export interface BooleanTerm {
  readonly type: 'boolean'
  readonly value: boolean
  readonly loc: Location
}
export interface NumberTerm {
  readonly type: 'number'
  readonly value: RegoNumber
  /** The literal as written, e.g. `1.0` or `1e6`. */
  readonly text: string
  readonly loc: Location
}
export interface StringTerm {
  readonly type: 'string'
  readonly value: string
  readonly loc: Location
}
/** A variable; `_` is the wildcard (the compiler renames each to a fresh variable). */
export interface VarTerm {
  readonly type: 'var'
  readonly name: string
  readonly loc: Location
}
/**
 * A reference: `head` then `path`. `input.a[x]["b"]` is head var `input`, path
 * [string "a", var x, string "b"]. The head may also be a call (`f(x)[0]`), an array, object,
 * set or comprehension (`[1,2][i]`).
 */
export interface RefTerm {
  readonly type: 'ref'
  readonly head: Term
  readonly path: readonly Term[]
  readonly loc: Location
}
export interface ArrayTerm {
  readonly type: 'array'
  readonly items: readonly Term[]
  readonly loc: Location
}
export interface ObjectTerm {
  readonly type: 'object'
  readonly entries: readonly { readonly key: Term; readonly value: Term }[]
  readonly loc: Location
}
/** A set literal; `set()` is a SetTerm with no items. */
export interface SetTerm {
  readonly type: 'set'
  readonly items: readonly Term[]
  readonly loc: Location
}
export interface ArrayComprehension {
  readonly type: 'arraycompr'
  readonly term: Term
  readonly body: Body
  readonly loc: Location
}
export interface SetComprehension {
  readonly type: 'setcompr'
  readonly term: Term
  readonly body: Body
  readonly loc: Location
}
export interface ObjectComprehension {
  readonly type: 'objectcompr'
  readonly key: Term
  readonly value: Term
  readonly body: Body
  readonly loc: Location
}
/** A call `name(args)`; `name` is the dotted path as written (`count`, `data.lib.f`, `io.jwt.decode`). */
export interface CallTerm {
  readonly type: 'call'
  readonly name: readonly string[]
  readonly args: readonly Term[]
  readonly loc: Location
}

/** A query or rule body: expressions joined by `;` or newlines. */
export type Body = readonly Expr[]

export type ExprKind =
  /** A bare term: true unless undefined or `false` (a call term is a call expression). */
  | { readonly type: 'term'; readonly term: Term }
  /** `lhs = rhs`: unification. */
  | { readonly type: 'unify'; readonly lhs: Term; readonly rhs: Term }
  /** `lhs := rhs`: declaration and assignment of the vars in lhs. */
  | { readonly type: 'assign'; readonly lhs: Term; readonly rhs: Term }
  /** `some x, y`: declares local variables. */
  | { readonly type: 'some'; readonly vars: readonly VarTerm[] }
  /** `some v in xs` / `some k, v in xs`. */
  | {
      readonly type: 'somein'
      readonly key: Term | undefined
      readonly value: Term
      readonly collection: Term
    }
  /** `every v in xs { body }` / `every k, v in xs { body }`. */
  | {
      readonly type: 'every'
      readonly key: Term | undefined
      readonly value: Term
      readonly domain: Term
      readonly body: Body
    }

export interface WithModifier {
  /** `input`, `input.a.b`, `data.x.y`, or a function/builtin name as a ref. */
  readonly target: RefTerm | VarTerm
  readonly value: Term
  readonly loc: Location
}

export interface Expr {
  readonly kind: ExprKind
  readonly negated: boolean
  readonly with: readonly WithModifier[]
  readonly loc: Location
}

/**
 * The head of a rule. `ref` is the rule's path relative to the package: `p` is [var p];
 * `a.b[x]` is [var a, string "b", var x]. For v0 `p[x] { ... }` and `p contains x`, `key`
 * holds `x` and the rule is multi-value (a partial set). Functions have `args`.
 */
export interface RuleHead {
  readonly ref: readonly Term[]
  readonly args: readonly Term[] | undefined
  /** The element of a multi-value (`contains`) rule. */
  readonly key: Term | undefined
  /** The value; undefined means `true`. */
  readonly value: Term | undefined
  /** True when written with `:=`. */
  readonly assign: boolean
  /** True when the head used `contains` (or v0 `p[x]` without a value). */
  readonly contains: boolean
  readonly loc: Location
}

/** One `else` branch: `else [= value] [if] { body }`; no value means `true`. */
export interface ElseClause {
  readonly value: Term | undefined
  readonly body: Body
  readonly loc: Location
}

export interface Rule {
  readonly head: RuleHead
  /** Empty for rules without a body (`p := 1`), which are true. */
  readonly body: Body
  readonly isDefault: boolean
  readonly elses: readonly ElseClause[]
  readonly loc: Location
  /** The `rule` and `document` scoped `# METADATA` blocks placed before this rule, in order. */
  readonly annotations?: readonly Annotation[]
}

export interface Import {
  /** The imported path, e.g. `data.lib.x`, `input.a`, `future.keywords.in`, `rego.v1`. */
  readonly path: RefTerm | VarTerm
  readonly alias: string | undefined
  readonly loc: Location
}

export type RegoVersion = 0 | 1

export interface Module {
  readonly file: string
  /** The package path without `data`: `package a.b` is ["a", "b"]. */
  readonly package: readonly string[]
  readonly imports: readonly Import[]
  readonly rules: readonly Rule[]
  /** The version the module was parsed as (v0 with `import rego.v1` is v1). */
  readonly regoVersion: RegoVersion
  /** Comments, in order, for tooling (`# METADATA` blocks). */
  readonly comments: readonly { readonly text: string; readonly loc: Location }[]
  /** Where the `package` keyword is. */
  readonly packageLoc?: Location
  /** The `package` and `subpackages` scoped `# METADATA` blocks placed before the package. */
  readonly annotations?: readonly Annotation[]
}

export type AnnotationScope = 'rule' | 'document' | 'package' | 'subpackages'

/** A `# METADATA` comment block (OPA's annotations); absent fields were not given or empty. */
export interface Annotation {
  readonly scope: AnnotationScope
  readonly title?: string
  readonly description?: string
  readonly entrypoint?: boolean
  readonly organizations?: readonly string[]
  readonly relatedResources?: readonly { readonly ref: string; readonly description?: string }[]
  readonly authors?: readonly { readonly name?: string; readonly email?: string }[]
  readonly schemas?: readonly AnnotationSchema[]
  /** The `custom` mapping as a Rego object. */
  readonly custom?: Value
  /** The `# METADATA` line. */
  readonly loc: Location
}

/** One `schemas` entry: a document path with a schema reference or an inline definition. */
export interface AnnotationSchema {
  /** The document path as strings: `input.x` is ["input", "x"]. */
  readonly path: readonly string[]
  /** `schema.a.b` as ["schema", "a", "b"]. */
  readonly schema?: readonly string[]
  readonly definition?: Value
}
