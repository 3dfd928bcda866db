import type { Body, Expr, ExprKind, Term, VarTerm, WithModifier } from '../ast/ast.ts'
import type { Token, TokenKind } from './token.ts'
import { ParseFail } from './parse-fail.ts'
import { MEMBER_2, MEMBER_3, TermParser } from './term-parser.ts'

function isCallOf(term: Term, name: readonly string[]): boolean {
  return term.type === 'call' && term.name.length === name.length && term.name.every((n, i) => n === name[i])
}

interface Membership {
  readonly key: Term | undefined
  readonly value: Term
  readonly domain: Term
}

/** Queries and rule bodies: literals, `not`, `some`, `every`, `with`, `=` and `:=`. */
export abstract class BodyParser extends TermParser {
  protected parseBody(end: TokenKind): Body {
    this.enter()
    if (this.is(end)) throw this.fail('found empty body')
    const body: Expr[] = []
    for (;;) {
      body.push(this.parseLiteral())
      if (this.is(';')) {
        this.advance()
        continue
      }
      if (this.is(end)) break
      if (!this.tok.newline) throw this.unexpected(`expected \\n or ; or ${end}`)
    }
    this.leave()
    return body
  }

  /**
   * A query as OPA's ParseBody reads it: literals until the end of input, separated by `;`,
   * newlines, or (as OPA allows) nothing at all.
   */
  protected parseQueryBody(): Body {
    const body: Expr[] = []
    while (!this.is('eof')) {
      body.push(this.parseLiteral())
      while (this.is(';')) {
        this.advance()
        body.push(this.parseLiteral())
      }
    }
    return body
  }

  protected parseLiteral(): Expr {
    const start = this.tok
    this.keywordAsRefHead()
    if (this.pos === this.identAt) return this.parseLiteralExpr(start, false)
    let negated = false
    if (this.isKeyword('not') && !this.refFollows()) {
      this.advance()
      negated = true
    }
    if (this.isKeyword('some')) {
      if (negated) throw this.unexpected("illegal negation of 'some'")
      return this.parseSome()
    }
    if (this.isKeyword('every')) {
      if (negated) throw this.unexpected("illegal negation of 'every'")
      return this.parseEvery()
    }
    return this.parseLiteralExpr(start, negated)
  }

  private parseLiteralExpr(start: Token, negated: boolean): Expr {
    const kind = this.parseExprKind()
    return this.expr(kind, negated, start)
  }

  protected parseExprKind(): ExprKind {
    const lhs = this.parseInfix(true)
    if (this.is(':=') || this.is('=')) {
      const type = this.is(':=') ? 'assign' : 'unify'
      this.advance()
      return { type, lhs, rhs: this.parseInfix(true) }
    }
    return { type: 'term', term: lhs }
  }

  private expr(kind: ExprKind, negated: boolean, start: Token): Expr {
    const withs = this.isKeyword('with') ? this.parseWith() : []
    return { kind, negated, with: withs, loc: this.loc(start) }
  }

  private parseWith(): WithModifier[] {
    const withs: WithModifier[] = []
    do {
      const loc = this.loc()
      this.advance()
      if (!this.is('ident') || this.activeKeyword() !== undefined) throw this.unexpected('expected ident')
      const target = this.parseTerm()
      if (target.type !== 'ref' && target.type !== 'var') throw this.unexpected('expected with target path')
      if (!this.isKeyword('as')) throw this.unexpected('expected as keyword')
      this.advance()
      withs.push({ target, value: this.parseInfix(true), loc })
    } while (this.isKeyword('with'))
    return withs
  }

  private parseSome(): Expr {
    const start = this.tok
    const pos = this.save()
    const depth = this.depth
    this.advance()
    let term: Term | undefined
    try {
      term = this.parseInfix(true)
    } catch (e) {
      if (!(e instanceof ParseFail)) throw e
    }
    if (term?.type === 'call') {
      const m = this.membership(term, 'expected `x in xs` or `x, y in xs` expression')
      return this.expr({ type: 'somein', key: m.key, value: m.value, collection: m.domain }, false, start)
    }
    this.restore(pos, depth)
    const vars: VarTerm[] = []
    do {
      this.advance()
      if (!this.is('ident') || this.activeKeyword() !== undefined) throw this.unexpected('expected var')
      vars.push(this.varTerm())
      this.advance()
    } while (this.is(','))
    return { kind: { type: 'some', vars }, negated: false, with: [], loc: this.loc(start) }
  }

  /** The parts of `x in xs` / `k, v in xs` (calls of the membership builtins). */
  private membership(term: Term, shape: string): Membership {
    if (term.type === 'call') {
      const [a, b, c, ...rest] = term.args
      const arityOk = rest.length === 0 && a !== undefined && b !== undefined
      if (isCallOf(term, MEMBER_2)) {
        if (!arityOk || c !== undefined) throw this.unexpected('illegal domain')
        return { key: undefined, value: a, domain: b }
      }
      if (isCallOf(term, MEMBER_3)) {
        if (!arityOk || c === undefined) throw this.unexpected('illegal domain')
        return { key: a, value: b, domain: c }
      }
    }
    throw this.unexpected(shape)
  }

  private parseEvery(): Expr {
    const start = this.tok
    this.advance()
    const term = this.parseInfix(true)
    const { key, value, domain } = this.membership(term, 'expected `x[, y] in xs { ... }` expression')
    if (key !== undefined && key.type !== 'var') throw this.unexpected('expected key to be a variable')
    if (value.type !== 'var') throw this.unexpected('expected value to be a variable')
    if (!this.is('{')) throw this.unexpected('missing body')
    this.advance()
    const body = this.parseBody('}')
    this.advance()
    return this.expr({ type: 'every', key, value, domain, body }, false, start)
  }
}
