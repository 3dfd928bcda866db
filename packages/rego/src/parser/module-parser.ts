import type { Import, Module, RefTerm, RegoVersion, Rule, Term, VarTerm } from '../ast/ast.ts'
import { combineErrors, RegoError, type Location } from '../errors.ts'
import { BASE_KEYWORDS, FUTURE_KEYWORDS, isKeywordInVersion } from './keywords.ts'
import type { LexedComment } from './lexer.ts'
import { attachAnnotations, type AnnotationTarget } from './metadata-attach.ts'
import { metadataBlocks, readMetadataBlock, type BlockAnnotation } from './metadata-block.ts'
import { ParseFail } from './parse-fail.ts'
import { checkRegoV1Rule, type RuleSyntax } from './rule-check.ts'
import { ruleFromExpr } from './rule-from-expr.ts'
import { RuleParser } from './rule-parser.ts'
import { refText, termText, valueName } from './term-text.ts'
import type { Token } from './token.ts'

const IMPORT_ROOTS = new Set(['data', 'input', 'future', 'rego'])

function pathTerms(term: RefTerm | VarTerm): readonly Term[] {
  return term.type === 'ref' ? [term.head, ...term.path] : [term]
}

/** Whole modules: `package`, imports (with their effect on keywords) and rules. */
export class ModuleParser extends RuleParser {
  private readonly version: RegoVersion
  /** A v0 module that imports `rego.v1` follows the v1 rules. */
  private importsRegoV1 = false

  constructor(file: string, tokens: readonly Token[], keywords: Set<string>, maxDepth: number, version: RegoVersion) {
    super(file, tokens, keywords, maxDepth)
    this.version = version
  }

  parseModule(comments: readonly LexedComment[]): Module {
    let pkg: string[] | undefined
    let packageLoc: Location | undefined
    const imports: Import[] = []
    const rules: Rule[] = []
    const syntax: RuleSyntax[] = []
    const errors: RegoError[] = []
    let first = true
    const error = (message: string, loc: { row: number; col: number }): void => {
      errors.push(new RegoError('rego_parse_error', message, { file: this.file, row: loc.row, col: loc.col }))
    }
    while (!this.is('eof')) {
      const start = this.tok
      const isFirst = first
      first = false
      if (this.isKeyword('package') && !this.refFollows()) {
        const path = this.parsePackage()
        if (isFirst) {
          pkg = path
          packageLoc = { file: this.file, row: start.row, col: start.col }
        } else error('unexpected package', start)
        continue
      }
      if (isFirst) error('package expected', start)
      if (this.isKeyword('import') && !this.refFollows()) {
        imports.push(this.parseImport())
        continue
      }
      const pos = this.save()
      const parsed = this.parseRules()
      if (parsed?.kind === 'rules') {
        rules.push(...parsed.rules)
        syntax.push(...parsed.syntax)
        continue
      }
      let exprs
      if (parsed?.kind === 'statement') {
        exprs = [parsed.expr]
      } else {
        this.restore(pos, 0)
        exprs = [this.parseLiteral()]
        while (this.is(';')) {
          this.advance()
          exprs.push(this.parseLiteral())
        }
      }
      const firstExpr = exprs[0]
      if (!firstExpr) continue
      if (exprs.length !== 1) {
        error('multiple expressions cannot be used for rule head', firstExpr.loc)
        continue
      }
      const converted = ruleFromExpr(firstExpr)
      if (!converted.ok) {
        error(converted.message, firstExpr.loc)
        continue
      }
      rules.push(converted.rule)
      syntax.push(converted.syntax)
    }
    const annotations = this.readAnnotations(comments)
    if (first) {
      throw new RegoError('rego_parse_error', 'empty module', { file: this.file, row: 1, col: 1 })
    }
    const regoVersion: RegoVersion = this.version === 1 || this.importsRegoV1 ? 1 : 0
    if (regoVersion === 1) for (const s of syntax) errors.push(...checkRegoV1Rule(s))
    if (errors.length > 0) throw combineErrors(errors)
    const targets: AnnotationTarget[] = [
      ...(packageLoc ? [{ row: packageLoc.row, kind: 'package' as const, index: 0 }] : []),
      ...imports.map((i) => ({ row: i.loc.row, kind: 'import' as const, index: 0 })),
      ...rules.map((r, index) => ({ row: r.loc.row, kind: 'rule' as const, index })),
    ]
    const attached = attachAnnotations(annotations, targets)
    if (attached.errors.length > 0) throw combineErrors(attached.errors)
    return {
      file: this.file,
      package: pkg ?? [],
      imports,
      rules: rules.map((r, i) => {
        const own = attached.ruleAnnotations.get(i)
        return own ? { ...r, annotations: own } : r
      }),
      regoVersion,
      comments: comments.map((c) => ({ text: c.text, loc: { file: this.file, row: c.row, col: c.col } })),
      ...(packageLoc ? { packageLoc } : {}),
      ...(attached.packageAnnotations.length > 0 ? { annotations: attached.packageAnnotations } : {}),
    }
  }

  /** The `# METADATA` blocks; their YAML errors are reported before any statement error. */
  private readAnnotations(comments: readonly LexedComment[]): BlockAnnotation[] {
    const out: BlockAnnotation[] = []
    const errors: RegoError[] = []
    for (const block of metadataBlocks(comments)) {
      try {
        out.push(readMetadataBlock(block, this.file))
      } catch (e) {
        if (!(e instanceof ParseFail)) throw e
        errors.push(e.toRegoError(this.file))
      }
    }
    if (errors.length > 0) throw combineErrors(errors)
    return out
  }

  private parsePackage(): string[] {
    this.advance()
    if (!this.is('ident')) throw this.unexpected()
    if (this.activeKeyword() !== undefined) this.identAt = this.pos
    const term = this.parseTerm()
    if (term.type === 'var') return [term.name]
    if (term.type !== 'ref') throw this.unexpected()
    const expecting = (t: Term, what: string): ParseFail =>
      new ParseFail(`unexpected ${valueName(t)} token: expecting ${what}`, t.loc.row, t.loc.col)
    if (term.head.type !== 'var') throw expecting(term.head, 'var')
    const path = [term.head.name]
    for (const t of term.path) {
      if (t.type !== 'string') throw expecting(t, 'string')
      path.push(t.value)
    }
    return path
  }

  private parseImport(): Import {
    const loc = this.loc()
    this.advance()
    if (!this.is('ident')) throw this.unexpected()
    // The path is read with no future keywords, so `import future.keywords.in` always parses.
    const keywords = this.keywords
    this.keywords = new Set(BASE_KEYWORDS)
    if (this.activeKeyword() !== undefined) this.identAt = this.pos
    let term: Term
    try {
      term = this.parseTerm()
    } finally {
      this.keywords = keywords
    }
    if (term.type !== 'var' && term.type !== 'ref') throw this.fail('expected path')
    const terms = pathTerms(term)
    const head = term.type === 'ref' ? term.head : term
    for (const t of terms.slice(1)) {
      if (t.type !== 'string') {
        throw new ParseFail(`unexpected ${valueName(t)} token: expecting string`, t.loc.row, t.loc.col)
      }
    }
    const pathFail = (message: string): ParseFail => new ParseFail(message, term.loc.row, term.loc.col)
    const root = head.type === 'var' ? head.name : ''
    if (!IMPORT_ROOTS.has(root)) {
      throw pathFail(
        `unexpected import path, must begin with one of: {data, future, input, rego}, got: ${termText(head)}`,
      )
    }
    let alias: string | undefined
    if (this.isKeyword('as')) {
      this.advance()
      if (!this.is('ident') || this.activeKeyword() !== undefined) throw this.unexpected('expected var')
      const aliasTerm = this.parseTerm()
      if (aliasTerm.type !== 'var' || aliasTerm.name === 'input' || aliasTerm.name === 'data') {
        throw this.unexpected('expected var')
      }
      alias = aliasTerm.name
    } else if (root !== 'future') {
      const last = terms[terms.length - 1] ?? head
      const word = last.type === 'var' ? last.name : last.type === 'string' ? last.value : ''
      if (isKeywordInVersion(word, this.version)) {
        throw new ParseFail(
          `unexpected import path, must not end with a keyword, got: ${word}`,
          last.loc.row,
          last.loc.col,
        )
      }
    }
    const words = terms.slice(1).map((t) => (t.type === 'string' ? t.value : ''))
    if (root === 'future') this.importFuture(words, alias, pathFail)
    if (root === 'rego') this.importRegoV1(words, alias, pathFail, terms)
    return { path: term, alias, loc }
  }

  private importFuture(words: string[], alias: string | undefined, fail: (m: string) => ParseFail): void {
    if (words[0] !== 'keywords') throw fail('invalid import, must be `future.keywords`')
    if (alias !== undefined) throw fail('`future` imports cannot be aliased')
    let enabled = FUTURE_KEYWORDS
    const kw = words[1]
    if (words.length === 2 && kw !== undefined) {
      if (!FUTURE_KEYWORDS.includes(kw)) {
        throw fail(`unexpected keyword, must be one of [${FUTURE_KEYWORDS.join(' ')}]`)
      }
      enabled = [kw]
    }
    for (const kw of enabled) {
      this.keywords.add(kw)
      // `every` needs `in`.
      if (kw === 'every') this.keywords.add('in')
    }
  }

  private importRegoV1(
    words: string[],
    alias: string | undefined,
    fail: (m: string) => ParseFail,
    terms: readonly Term[],
  ): void {
    if (words.length !== 1 || words[0] !== 'v1') throw fail(`invalid import \`${refText(terms)}\`, must be \`rego.v1\``)
    if (this.version === 1) return
    if (alias !== undefined) throw fail('`rego` imports cannot be aliased')
    this.importsRegoV1 = true
    for (const kw of FUTURE_KEYWORDS) this.keywords.add(kw)
  }
}
