import { RE2JS } from 're2js'
import { builtinError } from '../args.ts'

/**
 * gobwas/glob (what OPA's glob.match uses), compiled to an RE2 pattern: `*` is any run of
 * non-separator characters, `**` any run at all, `?` one non-separator character, `[abc]`,
 * `[a-z]` and their `[!...]` negations one character (separators included), `{a,b}` one of
 * the alternatives, `\` escapes the next character. The lexer and parser follow gobwas's, so
 * the same patterns are rejected.
 */

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'any' | 'super' | 'single' }
  | { kind: 'list'; chars: string; not: boolean }
  | { kind: 'range'; lo: number; hi: number; not: boolean }
  | { kind: 'anyOf'; patterns: Node[][] }

class GlobParser {
  private readonly chars: string[]
  private pos = 0
  private termsLevel = 0

  constructor(pattern: string) {
    this.chars = Array.from(pattern)
  }

  private peek(): string | undefined {
    return this.chars[this.pos]
  }

  /** Literal text up to a breaker; escapes resolved. */
  private text(breakers: string): string {
    let out = ''
    let escaped = false
    for (;;) {
      const c = this.peek()
      // gobwas v0.2.3 (OPA's version) drops a trailing backslash silently.
      if (c === undefined) return out
      if (!escaped) {
        if (c === '\\') {
          escaped = true
          this.pos++
          continue
        }
        if (breakers.includes(c)) return out
      }
      escaped = false
      out += c
      this.pos++
    }
  }

  private range(): Node {
    let not = false
    let lo: string | undefined
    let hi: string | undefined
    let chars = ''
    if (this.peek() === '!') {
      not = true
      this.pos++
    }
    const first = this.peek()
    if (first === undefined) throw builtinError('unexpected end of input')
    if (this.chars[this.pos + 1] === '-') {
      lo = first
      this.pos += 2
      hi = this.peek()
      if (hi === undefined) throw builtinError('unexpected end of input')
      this.pos++
    } else chars = this.text(']')
    const close = this.peek()
    if (close === undefined) throw builtinError('unexpected end of input')
    if (close !== ']') throw builtinError('expected close range character')
    this.pos++
    if (lo !== undefined && hi !== undefined) {
      const l = lo.codePointAt(0) as number
      const h = hi.codePointAt(0) as number
      if (h < l) throw builtinError(`hi character '${hi}' should be greater than lo '${lo}'`)
      return { kind: 'range', lo: l, hi: h, not }
    }
    if (chars === '') throw builtinError('could not parse range')
    return { kind: 'list', chars, not }
  }

  /** A sequence of nodes up to the end, or to `,`/`}` inside braces. */
  sequence(): Node[] {
    const nodes: Node[] = []
    for (;;) {
      const c = this.peek()
      if (c === undefined) return nodes
      const inTerms = this.termsLevel > 0
      if (inTerms && (c === ',' || c === '}')) return nodes
      this.pos++
      if (c === '{') {
        this.termsLevel++
        const patterns: Node[][] = [this.sequence()]
        while (this.peek() === ',') {
          this.pos++
          patterns.push(this.sequence())
        }
        if (this.peek() === '}') this.pos++
        this.termsLevel--
        nodes.push({ kind: 'anyOf', patterns })
      } else if (c === '[') nodes.push(this.range())
      else if (c === '?') nodes.push({ kind: 'single' })
      else if (c === '*') {
        if (this.peek() === '*') {
          this.pos++
          nodes.push({ kind: 'super' })
        } else nodes.push({ kind: 'any' })
      } else {
        this.pos--
        const text = this.text(inTerms ? '?*[{},' : '?*[{')
        nodes.push({ kind: 'text', text })
      }
    }
  }
}

function escapeChar(ch: string): string {
  return /^[A-Za-z0-9]$/.test(ch) || (ch.codePointAt(0) as number) > 0x7f
    ? ch
    : `\\x{${(ch.codePointAt(0) as number).toString(16)}}`
}

function classOf(chars: string, not: boolean): string {
  return `[${not ? '^' : ''}${Array.from(chars, escapeChar).join('')}]`
}

function toRegex(nodes: Node[], separators: string): string {
  const notSeparator = separators === '' ? '(?s:.)' : classOf(separators, true)
  return nodes
    .map((n) => {
      switch (n.kind) {
        case 'text':
          return Array.from(n.text, escapeChar).join('')
        case 'any':
          return `${notSeparator}*`
        case 'super':
          return '(?s:.)*'
        case 'single':
          return notSeparator
        case 'list':
          return classOf(n.chars, n.not)
        case 'range':
          return `[${n.not ? '^' : ''}\\x{${n.lo.toString(16)}}-\\x{${n.hi.toString(16)}}]`
        case 'anyOf':
          return `(?:${n.patterns.map((p) => toRegex(p, separators)).join('|')})`
      }
    })
    .join('')
}

/** Compile a glob with the given separator characters; errors are builtin errors. */
export function compileGlob(pattern: string, separators: readonly string[]): RE2JS {
  const nodes = new GlobParser(pattern).sequence()
  return RE2JS.compile(toRegex(nodes, separators.join('')))
}

/** glob.QuoteMeta: a backslash before each of `*?\[]{}`. */
export function quoteGlobMeta(s: string): string {
  return s.replace(/[*?\\[\]{}]/g, '\\$&')
}
