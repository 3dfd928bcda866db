import type { Body, CallTerm, Term, VarTerm } from '../ast/ast.ts'
import type { Location } from '../errors.ts'
import { numberValue } from './number-literal.ts'
import { ParseFail } from './parse-fail.ts'
import { termText } from './term-text.ts'
import type { TokenKind } from './token.ts'
import { TokenCursor } from './token-cursor.ts'

/** Binary operators: the builtin each becomes and its binding strength (higher binds tighter). */
const BINARY: Partial<Record<TokenKind, { readonly name: string; readonly prec: number }>> = {
  '==': { name: 'equal', prec: 1 },
  '!=': { name: 'neq', prec: 1 },
  '<': { name: 'lt', prec: 1 },
  '<=': { name: 'lte', prec: 1 },
  '>': { name: 'gt', prec: 1 },
  '>=': { name: 'gte', prec: 1 },
  '|': { name: 'or', prec: 2 },
  '&': { name: 'and', prec: 3 },
  '+': { name: 'plus', prec: 4 },
  '-': { name: 'minus', prec: 4 },
  '*': { name: 'mul', prec: 5 },
  '/': { name: 'div', prec: 5 },
  '%': { name: 'rem', prec: 5 },
}

export const MEMBER_2 = ['internal', 'member_2'] as const
export const MEMBER_3 = ['internal', 'member_3'] as const

/**
 * Terms and operator expressions, following OPA's grammar: `in` binds loosest, then the
 * relations, `|`, `&`, `+ -`, `* / %`; all are left-associative. Refs and calls continue only
 * when `.`, `[` or `(` follow with no space.
 */
export abstract class TermParser extends TokenCursor {
  /** Parses expressions up to (not including) `end`; implemented by the body parser. */
  protected abstract parseBody(end: TokenKind): Body

  /**
   * A term with operators (OPA's parseTermInfixCall). `keyVal` allows `k, v in xs`. `seed` is a
   * term already parsed at the current position's start, to continue from.
   */
  protected parseInfix(keyVal: boolean, seed?: Term): Term {
    this.enter()
    let lhs = this.parseRelation(seed)
    for (;;) {
      if (keyVal && this.is(',')) {
        const pos = this.save()
        const depth = this.depth
        try {
          this.advance()
          const mhs = this.parseRelation()
          if (this.isKeyword('in')) {
            this.advance()
            const rhs = this.parseRelation()
            lhs = this.call(MEMBER_3, [lhs, mhs, rhs], lhs.loc)
            if (this.isKeyword('in')) continue
            break
          }
        } catch (e) {
          if (!(e instanceof ParseFail)) throw e
        }
        this.restore(pos, depth)
      }
      if (!this.isKeyword('in')) break
      this.advance()
      const rhs = this.parseRelation()
      lhs = this.call(MEMBER_2, [lhs, rhs], lhs.loc)
      if (!this.isKeyword('in')) break
    }
    this.leave()
    return lhs
  }

  private parseRelation(seed?: Term): Term {
    return this.climb(seed ?? this.parseTerm(), 1)
  }

  /** Precedence climbing over the binary operators, all left-associative. */
  private climb(first: Term, minPrec: number): Term {
    let lhs = first
    for (;;) {
      const op = BINARY[this.tok.kind]
      if (!op || op.prec < minPrec) return lhs
      this.advance()
      let rhs = this.parseTerm()
      for (;;) {
        const next = BINARY[this.tok.kind]
        if (!next || next.prec <= op.prec) break
        rhs = this.climb(rhs, op.prec + 1)
      }
      lhs = this.call([op.name], [lhs, rhs], lhs.loc)
    }
  }

  protected call(name: readonly string[], args: Term[], loc: Location): CallTerm {
    return { type: 'call', name, args, loc }
  }

  /** One term, with any ref or call suffix; leaves the cursor after it. */
  protected parseTerm(): Term {
    this.enter()
    const t = this.tok
    const loc = this.loc()
    let term: Term
    switch (t.kind) {
      case 'ident': {
        const kw = this.activeKeyword()
        if (kw === 'null') term = { type: 'null', loc }
        else if (kw === 'true' || kw === 'false') term = { type: 'boolean', value: kw === 'true', loc }
        // OPA reads `contains` as a name everywhere except in rule heads.
        else if (kw !== undefined && kw !== 'contains') throw this.unexpected()
        else term = { type: 'var', name: t.text, loc }
        break
      }
      case 'number':
      case '-':
      case '.':
        term = this.parseNumber()
        break
      case 'string':
        term = { type: 'string', value: t.value, loc }
        break
      case '[':
        term = this.parseArray()
        break
      case '{':
        term = this.parseSetOrObject()
        break
      case '(': {
        this.advance()
        term = this.parseInfix(true)
        if (!this.is(')')) throw this.fail('non-terminated expression')
        break
      }
      default:
        throw this.unexpected()
    }
    // The cursor is on the term's last token.
    this.advance()
    if (!this.tok.spaced && (this.is('.') || this.is('[') || this.is('('))) term = this.parseRef(term)
    this.leave()
    return term
  }

  private parseNumber(): Term {
    const loc = this.loc()
    let prefix = ''
    if (this.is('-')) {
      prefix = '-'
      this.advance()
      if (!this.is('number') && !this.is('.')) throw this.unexpected('expected number')
    }
    if (this.is('.')) {
      prefix += '.'
      this.advance()
      if (!this.is('number')) throw this.unexpected('expected number')
    }
    const lit = this.tok.text
    if (!prefix.endsWith('.') && lit.length > 1 && lit[0] === '0') {
      const fraction = lit[1] === '.'
      const exponent = lit.length > 2 && (lit[1] === 'e' || lit[1] === 'E')
      if (!fraction && !exponent) throw this.unexpected('expected number without leading zero')
    }
    const text = prefix + lit
    const value = numberValue(text)
    if (value === undefined) throw this.fail('number too big')
    return { type: 'number', value, text, loc }
  }

  /**
   * Continues `head` with `.name`, `[term]` and `(args)` suffixes. Each must follow with no
   * space, except the first one when `spacedFirst` (rule heads: `p [x] { ... }`).
   */
  protected parseRef(head: Term, spacedFirst = false): Term {
    this.enter()
    switch (head.type) {
      case 'var':
      case 'array':
      case 'object':
      case 'set':
      case 'arraycompr':
      case 'setcompr':
      case 'objectcompr':
      case 'call':
        break
      default:
        throw new ParseFail(`illegal ref (head cannot be ${head.type})`, head.loc.row, head.loc.col)
    }
    const path: Term[] = []
    let result: Term = head
    let spaceAllowed = spacedFirst
    while ((spaceAllowed || !this.tok.spaced) && (this.is('.') || this.is('[') || this.is('('))) {
      spaceAllowed = false
      if (this.is('.')) {
        this.advance()
        if (this.tok.spaced || !this.is('ident')) throw this.unexpected('expected identifier')
        path.push({ type: 'string', value: this.tok.text, loc: this.loc() })
        this.advance()
      } else if (this.is('[')) {
        this.advance()
        const term = this.parseInfix(true)
        if (!this.is(']')) throw this.unexpected('expected ]')
        path.push(term)
        this.advance()
      } else {
        const call = this.parseCall(head, path)
        this.advance()
        const rest = !this.tok.spaced && (this.is('.') || this.is('[')) ? this.parseRef(call) : call
        this.leave()
        return rest
      }
      result = { type: 'ref', head, path, loc: head.loc }
    }
    this.leave()
    return result
  }

  /** At `(`: the call of the function named by `head.path`; leaves the cursor on `)`. */
  private parseCall(head: Term, path: readonly Term[]): Term {
    const name: string[] = []
    if (head.type === 'var') name.push(head.name)
    for (const t of path) if (t.type === 'string') name.push(t.value)
    if (name.length !== path.length + 1) {
      const shown = path.length ? termText({ type: 'ref', head, path, loc: head.loc }) : termText(head)
      throw this.unexpected(`invalid function name ${shown}`)
    }
    this.advance()
    if (this.is(')')) {
      if (name.length === 1 && name[0] === 'set') return { type: 'set', items: [], loc: head.loc }
      return this.call(name, [], head.loc)
    }
    return this.call(name, this.parseTermList(')', []), head.loc)
  }

  /** Comma-separated terms up to `end`; leaves the cursor on `end`. */
  protected parseTermList(end: TokenKind, items: Term[], seed?: Term): Term[] {
    if (seed === undefined && this.is(end)) return items
    let first = seed
    for (;;) {
      items.push(this.parseInfix(false, first))
      first = undefined
      if (this.is(end)) return items
      if (!this.is(',')) throw this.unexpected(`expected "," or "${end}"`)
      this.advance()
      if (this.is(end)) return items
    }
  }

  private parseArray(): Term {
    const loc = this.loc()
    this.advance()
    if (this.is(']')) return { type: 'array', items: [], loc }
    let comprehension = true
    if (this.is(',')) {
      comprehension = false
      this.advance()
    }
    const start = this.save()
    const depth = this.depth
    const head = this.parseTerm()
    if (this.is(']')) return { type: 'array', items: [head], loc }
    if (this.is(',')) {
      this.advance()
      return { type: 'array', items: this.parseTermList(']', [head]), loc }
    }
    if (this.is('|') && comprehension) {
      this.advance()
      const body = this.tryComprehensionBody(']')
      if (body) return { type: 'arraycompr', term: head, body, loc }
      this.restore(start, depth)
      return { type: 'array', items: this.parseTermList(']', []), loc }
    }
    return { type: 'array', items: this.parseTermList(']', [], head), loc }
  }

  /**
   * The body after `|`. When it fails on a comma the brackets held a plain collection whose
   * first element uses `|` (`[a | b, c]`), as OPA decides: undefined tells the caller to reparse.
   */
  private tryComprehensionBody(end: TokenKind): Body | undefined {
    try {
      return this.parseBody(end)
    } catch (e) {
      if (e instanceof ParseFail && this.is(',')) return undefined
      throw e
    }
  }

  private parseSetOrObject(): Term {
    const loc = this.loc()
    this.advance()
    if (this.is('}')) return { type: 'object', entries: [], loc }
    let comprehension = true
    if (this.is(',')) {
      comprehension = false
      this.advance()
    }
    const start = this.save()
    const depth = this.depth
    let head = this.parseTerm()
    if (this.is('|') && comprehension) {
      this.advance()
      const body = this.tryComprehensionBody('}')
      if (body) return { type: 'setcompr', term: head, body, loc }
      this.restore(start, depth)
      return { type: 'set', items: this.parseTermList('}', []), loc }
    }
    if (!this.is('}') && !this.is(',') && !this.is(':')) head = this.parseInfix(false, head)
    if (this.is(':')) return this.parseObject(loc, head, comprehension)
    if (this.is('}')) return { type: 'set', items: [head], loc }
    if (this.is(',')) {
      this.advance()
      return { type: 'set', items: this.parseTermList('}', [head]), loc }
    }
    throw this.unexpected('non-terminated set')
  }

  /** At the `:` after the first key. */
  private parseObject(loc: Location, key: Term, comprehension: boolean): Term {
    this.advance()
    const start = this.save()
    const depth = this.depth
    let value = this.parseTerm()
    if (this.is('|') && comprehension) {
      this.advance()
      try {
        const body = this.parseBody('}')
        return { type: 'objectcompr', key, value, body, loc }
      } catch (e) {
        if (!(e instanceof ParseFail)) throw e
        // Not a comprehension: `|` was an operator in the value (OPA retries the same way).
        this.restore(start, depth)
        value = this.parseInfix(false)
      }
    } else if (!this.is('}') && !this.is(',')) {
      value = this.parseInfix(false, value)
    }
    const entries = [{ key, value }]
    if (this.is('}')) return { type: 'object', entries, loc }
    if (!this.is(',')) throw this.unexpected('non-terminated object')
    this.advance()
    while (!this.is('}')) {
      const k = this.parseInfix(false)
      if (!this.is(':')) throw this.unexpected('expected ":"')
      this.advance()
      entries.push({ key: k, value: this.parseInfix(false) })
      if (this.is('}')) break
      if (!this.is(',')) throw this.unexpected('expected "," or "}"')
      this.advance()
    }
    return { type: 'object', entries, loc }
  }

  protected varTerm(): VarTerm {
    return { type: 'var', name: this.tok.text, loc: this.loc() }
  }
}
