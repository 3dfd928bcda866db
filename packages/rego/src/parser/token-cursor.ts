import type { Location } from '../errors.ts'
import { ParseFail } from './parse-fail.ts'
import { displayKind, type Token, type TokenKind } from './token.ts'

/**
 * The parser's position in the token list, the active keywords and the nesting depth.
 * Backtracking is `restore(save())`: the whole state is one index.
 */
export class TokenCursor {
  protected readonly file: string
  protected readonly tokens: readonly Token[]
  protected pos: number
  protected tok: Token
  /** Words that are keywords right now (v1 set, or v0 set plus imported future keywords). */
  protected keywords: Set<string>
  protected depth: number
  protected readonly maxDepth: number
  /** Position of a keyword that is used as the first name of a ref (`not.x`, `else[y]`). */
  protected identAt: number

  constructor(file: string, tokens: readonly Token[], keywords: Set<string>, maxDepth: number) {
    this.file = file
    this.tokens = tokens
    this.keywords = keywords
    this.maxDepth = maxDepth
    this.depth = 0
    this.identAt = -1
    this.pos = 0
    this.tok = this.at(0)
    this.checkIllegal()
  }

  private at(i: number): Token {
    const t = this.tokens[i] ?? this.tokens[this.tokens.length - 1]
    if (!t) throw new ParseFail('empty token list', 1, 1)
    return t
  }

  /** A token with a lexer message (bad string, bad number...) fails as soon as it is reached. */
  private checkIllegal(): void {
    if (this.tok.kind === 'illegal' && this.tok.value) throw this.failAt(this.tok, this.tok.value)
  }

  protected advance(): void {
    if (this.tok.kind === 'eof') return
    this.pos++
    this.tok = this.at(this.pos)
    this.checkIllegal()
  }

  protected save(): number {
    return this.pos
  }

  protected restore(pos: number, depth: number): void {
    this.pos = pos
    this.tok = this.at(pos)
    this.depth = depth
  }

  protected peek(): Token {
    return this.at(this.pos + 1)
  }

  protected is(kind: TokenKind): boolean {
    return this.tok.kind === kind
  }

  /** The current token is the keyword `word` (and not a ref head spelled like it). */
  protected isKeyword(word: string): boolean {
    const t = this.tok
    return t.keyword && t.text === word && this.keywords.has(word) && this.pos !== this.identAt
  }

  /** The keyword the current token is, if it is one. */
  protected activeKeyword(): string | undefined {
    const t = this.tok
    return t.keyword && this.keywords.has(t.text) && this.pos !== this.identAt ? t.text : undefined
  }

  /** The next token is `.` or `[` right after the current one: the current word starts a ref. */
  protected refFollows(): boolean {
    const next = this.peek()
    return !next.spaced && (next.kind === '.' || next.kind === '[')
  }

  /** If the current token is a keyword starting a ref (`else.x`), treat it as a name. */
  protected keywordAsRefHead(): void {
    if (this.activeKeyword() !== undefined && this.refFollows()) this.identAt = this.pos
  }

  protected loc(t: Token = this.tok): Location {
    return (t.loc ??= { file: this.file, row: t.row, col: t.col })
  }

  protected failAt(t: Token, message: string): ParseFail {
    return new ParseFail(message, t.row, t.col)
  }

  protected fail(message: string): ParseFail {
    return this.failAt(this.tok, message)
  }

  /** OPA's "unexpected X token[: note]" for the current token. */
  protected unexpected(note?: string): ParseFail {
    const t = this.tok
    if (t.kind === 'illegal') return this.fail('illegal token')
    const keyword = t.kind === 'ident' && this.keywords.has(t.text)
    const what = keyword ? `${t.text} keyword` : `${displayKind(t.kind)} token`
    return this.fail(note ? `unexpected ${what}: ${note}` : `unexpected ${what}`)
  }

  protected enter(): void {
    if (++this.depth > this.maxDepth) throw this.fail('max parsing recursion depth exceeded')
  }

  protected leave(): void {
    this.depth--
  }
}
