import type { Body, ElseClause, Expr, Rule, RuleHead, Term } from '../ast/ast.ts'
import type { Location } from '../errors.ts'
import { BodyParser } from './body-parser.ts'
import { ParseFail } from './parse-fail.ts'
import type { RuleSyntax } from './rule-check.ts'
import { refText, termText, valueName } from './term-text.ts'
import type { Token } from './token.ts'

/** What a statement that starts like a rule turned out to be. */
export type RuleStatement =
  | { readonly kind: 'rules'; readonly rules: Rule[]; readonly syntax: RuleSyntax[] }
  /** A rule without a body (`p := 1`, `a.b.c`), to be read as a rule by `ruleFromExpr`. */
  | { readonly kind: 'statement'; readonly expr: Expr }

interface ParsedHead {
  /** The head as written: a var, ref or call. */
  readonly term: Term
  readonly ref: Term[]
  readonly args: Term[] | undefined
  /** The element after `contains`. */
  readonly key: Term | undefined
  readonly value: Term | undefined
  readonly assign: boolean
  readonly usesContains: boolean
  /** No value was written and OPA gives the rule the value `true`. */
  readonly generatedValue: boolean
  readonly loc: Location
}

const BINARY_OPERATORS = new Set(['+', '-', '*', '/', '%', '&', '|', '==', '!=', '<', '<=', '>', '>='])
/** Tokens that would extend a bodiless head if it were parsed as an expression. */
const EXPR_CONTINUATION = new Set([...BINARY_OPERATORS, '=', ':=', ',', ';', '[', '(', '.'])

function isGround(term: Term): boolean {
  switch (term.type) {
    case 'null':
    case 'boolean':
    case 'number':
    case 'string':
      return true
    case 'array':
    case 'set':
      return term.items.every(isGround)
    case 'object':
      return term.entries.every((e) => isGround(e.key) && isGround(e.value))
    default:
      return false
  }
}

/** Rules: heads (refs, functions, `contains`), `default`, `if`, bodies, `else` chains. */
export abstract class RuleParser extends BodyParser {
  /** Parses a rule at the cursor; undefined when the statement is not a rule (OPA then reads it as a query). */
  protected parseRules(): RuleStatement | undefined {
    const start = this.tok
    this.keywordAsRefHead()
    let isDefault = false
    if (this.isKeyword('default')) {
      this.advance()
      isDefault = true
      this.keywordAsRefHead()
    }
    if (!this.is('ident') || this.activeKeyword() !== undefined) return undefined
    const head = this.parseHead()
    if (!head) return undefined
    const ruleLoc = this.loc(start)
    if (isDefault) return this.defaultRule(head, ruleLoc)

    const hasIf = this.isKeyword('if')
    let ref = head.ref
    let key = head.key
    let contains = head.usesContains
    // v0 `p[x] { ... }` is a partial set; `p[x] if ...` is the single value p[x] = true.
    const [name, element] = ref
    const setLike = !hasIf && !contains && (head.args?.length ?? 0) === 0 && ref.length === 2
    if (setLike && head.value === undefined && name !== undefined) {
      key = element
      ref = [name]
      contains = true
    }
    let body: Body
    if (hasIf) {
      this.advance()
      body = this.parseIfBody()
    } else if (this.is('{')) {
      this.advance()
      body = this.parseBody('}')
      this.advance()
    } else if (head.usesContains) {
      const rule: Rule = {
        head: { ref, args: head.args, key, value: undefined, assign: false, contains: true, loc: head.loc },
        body: [],
        isDefault: false,
        elses: [],
        loc: head.loc,
      }
      return { kind: 'rules', rules: [rule], syntax: [this.syntaxOf(rule, head, false, true)] }
    } else {
      return this.bodilessStatement(head, start)
    }

    const ruleHead: RuleHead = {
      ref,
      args: head.args,
      key,
      value: head.value,
      assign: head.assign,
      contains,
      loc: head.loc,
    }
    const elses: ElseClause[] = []
    const elseSyntax: RuleSyntax[] = []
    if (this.isKeyword('else') && !this.refFollows()) {
      if (ref.length > 1 && !ref.slice(1).every(isGround)) {
        throw this.fail('else keyword cannot be used on rules with variables in head')
      }
      if (contains) throw this.fail('else keyword cannot be used on multi-value rules')
      this.parseElses(ruleHead, hasIf, elses, elseSyntax)
    }
    const first: Rule = { head: ruleHead, body, isDefault: false, elses, loc: ruleLoc }
    const rules = [first]
    const syntax = [this.syntaxOf(first, head, hasIf, false), ...elseSyntax]
    // v0 allows more bodies after the first: `p { a } { b }` defines p twice.
    while (this.is('{')) {
      if (elses.length > 0) throw this.fail('expected else keyword')
      const loc = this.loc()
      this.advance()
      const more = this.parseBody('}')
      this.advance()
      const rule: Rule = { head: { ...ruleHead, loc }, body: more, isDefault: false, elses: [], loc }
      rules.push(rule)
      syntax.push(this.syntaxOf(rule, head, hasIf, false))
    }
    return { kind: 'rules', rules, syntax }
  }

  private syntaxOf(rule: Rule, head: ParsedHead, hasIf: boolean, generatedBody: boolean): RuleSyntax {
    const first = rule.head.ref[0]
    return {
      loc: rule.loc,
      name: first?.type === 'var' && head.ref.length <= 2 ? first.name : undefined,
      isFunction: (rule.head.args?.length ?? 0) > 0,
      isDefault: rule.isDefault,
      hasIf,
      generatedBody,
      generatedValue: head.generatedValue,
      usesContains: head.usesContains,
      multiValue: rule.head.contains,
    }
  }

  /**
   * A head with neither body nor `if`: OPA re-reads the statement as an expression and turns
   * that into a rule. When nothing could extend the expression, build it from the head directly
   * instead of parsing the (possibly huge) value twice.
   */
  private bodilessStatement(head: ParsedHead, start: Token): RuleStatement | undefined {
    const extendable =
      head.value !== undefined
        ? this.is(';') || this.isKeyword('with')
        : EXPR_CONTINUATION.has(this.tok.kind) || this.isKeyword('with') || this.isKeyword('in')
    if (extendable) return undefined
    const kind: Expr['kind'] =
      head.value === undefined
        ? { type: 'term', term: head.term }
        : { type: head.assign ? 'assign' : 'unify', lhs: head.term, rhs: head.value }
    return { kind: 'statement', expr: { kind, negated: false, with: [], loc: this.loc(start) } }
  }

  private parseHead(): ParsedHead | undefined {
    const loc = this.loc()
    const name = this.varTerm()
    this.advance()
    if (BINARY_OPERATORS.has(this.tok.kind)) throw this.unexpected()
    const term = this.is('(') || this.is('.') || this.is('[') ? this.parseRef(name, true) : name
    let ref: Term[]
    let args: Term[] | undefined
    if (term.type === 'var') {
      ref = [term]
    } else if (term.type === 'ref') {
      if (term.head.type !== 'var') throw this.unexpected(`rule head ref ${termText(term)} invalid`)
      ref = [term.head, ...term.path]
    } else if (term.type === 'call') {
      const [first, ...rest] = term.name
      ref = [
        { type: 'var', name: first ?? '', loc: term.loc },
        ...rest.map((s): Term => ({ type: 'string', value: s, loc: term.loc })),
      ]
      args = [...term.args]
    } else {
      return undefined
    }
    const shown = refText(ref)
    let key: Term | undefined
    let value: Term | undefined
    let assign = false
    let usesContains = false
    if (this.isKeyword('contains')) {
      if (args !== undefined) {
        throw this.unexpected(
          `the contains keyword can only be used with multi-value rule definitions (e.g., ${shown} contains <VALUE> { ... })`,
        )
      }
      this.advance()
      key = this.parseInfix(true)
      usesContains = true
    } else if (this.is('=') || this.is(':=')) {
      assign = this.is(':=')
      this.advance()
      value = this.parseInfix(true)
    }
    const generatedValue = value === undefined && key === undefined && (ref.length !== 2 || (args?.length ?? 0) > 0)
    return { term, ref, args, key, value, assign, usesContains, generatedValue, loc }
  }

  private defaultRule(head: ParsedHead, loc: Location): RuleStatement {
    const fail = (message: string): ParseFail => new ParseFail(message, loc.row, loc.col)
    if (head.value === undefined && !head.generatedValue) throw fail('illegal default rule (must have a value)')
    if (head.value !== undefined) {
      const bad = findNonConstant(head.value)
      if (bad) throw fail(`illegal default rule (value cannot contain ${bad})`)
    }
    const seen = new Set<string>()
    for (const arg of head.args ?? []) {
      if (arg.type !== 'var') throw fail(`illegal default rule (arguments cannot contain ${valueName(arg)})`)
      if (arg.name !== '_' && seen.has(arg.name)) {
        throw fail(`illegal default rule (arguments cannot be repeated ${arg.name})`)
      }
      seen.add(arg.name)
    }
    const rule: Rule = {
      head: {
        ref: head.ref,
        args: head.args,
        key: head.key,
        value: head.value,
        assign: head.assign,
        contains: head.usesContains,
        loc: head.loc,
      },
      body: [],
      isDefault: true,
      elses: [],
      loc,
    }
    return { kind: 'rules', rules: [rule], syntax: [this.syntaxOf(rule, head, false, false)] }
  }

  /** After `if`: one expression, or a `{ body }` (OPA tries the expression first). */
  private parseIfBody(): Body {
    const pos = this.save()
    const depth = this.depth
    try {
      const literal = this.parseLiteral()
      // `{ x }` reads as a set literal, which is always true: it must be a body instead.
      if (literal.kind.type !== 'term' || literal.kind.term.type !== 'set') return [literal]
    } catch (e) {
      if (!(e instanceof ParseFail) || this.tokens[pos]?.kind !== '{') throw e
    }
    this.restore(pos, depth)
    this.advance()
    const body = this.parseBody('}')
    this.advance()
    return body
  }

  private parseElses(head: RuleHead, mainHasIf: boolean, out: ElseClause[], syntax: RuleSyntax[]): void {
    const isFunction = (head.args?.length ?? 0) > 0
    for (;;) {
      const loc = this.loc()
      this.advance()
      let value: Term | undefined
      if (this.is(':=') || this.is('=')) {
        this.advance()
        value = this.parseInfix(true)
      } else if (!this.is('{') && !this.isKeyword('if')) {
        throw this.unexpected('expected else value term or rule body')
      }
      const hasIf = this.isKeyword('if')
      const entry = (generatedBody: boolean): RuleSyntax => ({
        loc,
        name: undefined,
        isFunction,
        isDefault: false,
        hasIf: mainHasIf || hasIf,
        generatedBody,
        generatedValue: false,
        usesContains: false,
        multiValue: false,
      })
      if (!hasIf && !this.is('{')) {
        out.push({ value, body: [], loc })
        syntax.push(entry(true))
        return
      }
      if (hasIf) this.advance()
      let body: Body
      if (this.is('{')) {
        this.advance()
        body = this.parseBody('}')
        this.advance()
      } else if (!this.is('eof')) {
        body = [this.parseLiteral()]
      } else {
        throw this.unexpected('rule body expected')
      }
      out.push({ value, body, loc })
      syntax.push(entry(false))
      if (!this.isKeyword('else')) return
    }
  }
}

/** The first ref, var or call in a default value (comprehensions excepted), as OPA names it. */
function findNonConstant(term: Term): string | undefined {
  switch (term.type) {
    case 'ref':
    case 'var':
    case 'call':
      return term.type
    case 'array':
    case 'set':
      for (const t of term.items) {
        const bad = findNonConstant(t)
        if (bad) return bad
      }
      return undefined
    case 'object':
      for (const e of term.entries) {
        const bad = findNonConstant(e.key) ?? findNonConstant(e.value)
        if (bad) return bad
      }
      return undefined
    default:
      return undefined
  }
}
