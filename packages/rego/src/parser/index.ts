import type { Body, Module, RegoVersion, Term } from '../ast/ast.ts'
import { RegoError } from '../errors.ts'
import { BodyParser } from './body-parser.ts'
import { keywordsFor } from './keywords.ts'
import { tokenize, type LexLimits } from './lexer.ts'
import { ModuleParser } from './module-parser.ts'
import { withParseErrors } from './parse-fail.ts'

export interface ParseModuleOptions {
  /** Rego v1 unless 0 is given. */
  readonly regoVersion?: RegoVersion
  /** Longest line accepted, in UTF-16 units (default 65536). */
  readonly maxLineLength?: number
  /** Largest source accepted, in UTF-16 units (default 16 MiB). */
  readonly maxSourceLength?: number
  /** Deepest nesting of terms, expressions and bodies accepted (default 1000). */
  readonly maxDepth?: number
}

export interface ParseQueryOptions {
  readonly regoVersion?: RegoVersion
  readonly file?: string
}

const DEFAULT_LIMITS: LexLimits = { maxLineLength: 65536, maxSourceLength: 16 * 1024 * 1024 }
const DEFAULT_MAX_DEPTH = 1000

/**
 * Parses a module. The result follows OPA's parser: bare `input` and `data` are var terms
 * (every ref has a non-empty path), `_` stays `_`, `p { a } { b }` gives two rules, and
 * operators are calls of their builtins (see ast.ts).
 */
export function parseModule(file: string, text: string, options: ParseModuleOptions = {}): Module {
  const version = options.regoVersion ?? 1
  return withParseErrors(file, () => {
    const { tokens, comments } = tokenize(text, {
      maxLineLength: options.maxLineLength ?? DEFAULT_LIMITS.maxLineLength,
      maxSourceLength: options.maxSourceLength ?? DEFAULT_LIMITS.maxSourceLength,
    })
    const parser = new ModuleParser(file, tokens, keywordsFor(version), options.maxDepth ?? DEFAULT_MAX_DEPTH, version)
    return parser.parseModule(comments)
  })
}

class QueryParser extends BodyParser {
  query(): Body {
    return this.parseQueryBody()
  }
}

function queryKeywords(version: RegoVersion): Set<string> {
  const keywords = keywordsFor(version)
  // v0 queries may use `x in xs` and `every` (OPA's v0 test queries are written that way).
  keywords.add('in')
  keywords.add('every')
  return keywords
}

/** Parses a query body (OPA's ParseBody): expressions separated by `;` or newlines. */
export function parseQuery(text: string, options: ParseQueryOptions = {}): Body {
  const file = options.file ?? ''
  return withParseErrors(file, () => {
    const { tokens } = tokenize(text, DEFAULT_LIMITS)
    return new QueryParser(file, tokens, queryKeywords(options.regoVersion ?? 1), DEFAULT_MAX_DEPTH).query()
  })
}

/** Parses a single term (OPA's ParseTerm), e.g. a conformance `input_term`. */
export function parseTerm(text: string): Term {
  const body = parseQuery(text)
  const only = body[0]
  if (body.length !== 1 || !only) {
    throw new RegoError('rego_parse_error', `expected exactly one term but got ${body.length} expressions`)
  }
  if (only.kind.type !== 'term' || only.kind.term.type === 'call' || only.negated || only.with.length > 0) {
    throw new RegoError('rego_parse_error', 'expected term but got an expression', only.loc)
  }
  return only.kind.term
}
