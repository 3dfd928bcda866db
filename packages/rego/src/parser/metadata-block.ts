import type { Annotation, AnnotationSchema, Term } from '../ast/ast.ts'
import { RegoObject, type Value } from '../value/value.ts'
import { BASE_KEYWORDS } from './keywords.ts'
import { tokenize, type LexedComment } from './lexer.ts'
import { ParseFail } from './parse-fail.ts'
import { BodyParser } from './body-parser.ts'
import { termText } from './term-text.ts'
import { readMetadataYaml } from './metadata-yaml.ts'

/**
 * OPA's `# METADATA` blocks: a comment at column 1 whose text starts with METADATA, then the
 * comment lines at column 1 on the rows right below it (their YAML, one leading space dropped).
 */

export interface MetadataBlock {
  readonly start: LexedComment
  readonly lines: readonly LexedComment[]
}

/** A block's annotation before it is attached: the scope is '' when the block gives none. */
export type BlockAnnotation = Omit<Annotation, 'scope'> & { readonly scope: string }

function isMetadataComment(c: LexedComment): boolean {
  return c.col === 1 && c.text.trim().startsWith('METADATA')
}

export function metadataBlocks(comments: readonly LexedComment[]): MetadataBlock[] {
  const out: MetadataBlock[] = []
  comments.forEach((c, i) => {
    if (!isMetadataComment(c)) return
    const lines: LexedComment[] = []
    let prev = c
    for (const next of comments.slice(i + 1)) {
      if (next.col !== 1 || next.row !== prev.row + 1 || isMetadataComment(next)) break
      lines.push(next)
      prev = next
    }
    out.push({ start: c, lines })
  })
  return out
}

/** Go's `%+q` of one character, as OPA's hint prints it. */
function quoteRune(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0
  const escapes: Record<string, string> = { "'": "\\'", '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' }
  const known = escapes[ch]
  if (known) return `'${known}'`
  if (cp >= 0x20 && cp < 0x7f) return `'${ch}'`
  const hex = cp.toString(16)
  return cp > 0xffff ? `'\\U${hex.padStart(8, '0')}'` : `'\\u${hex.padStart(4, '0')}'`
}

/** OPA's hint for `key:value` lines whose separator is not followed by a space. */
function withSpacingHints(message: string, lines: readonly LexedComment[]): string {
  let out = message
  for (const line of lines) {
    const parts = line.text.split(':').slice(1)
    if (parts.length === 0) continue
    const bad: string[] = []
    for (const [i, part] of parts.entries()) {
      if (part === '' && i === parts.length - 1) break
      const ch = String.fromCodePoint(part.codePointAt(0) ?? 0)
      if (ch === ' ' || ch === '\t') break
      bad.push(quoteRune(ch))
    }
    if (bad.length > 0) {
      out +=
        `\n  Hint: on line ${line.row}, symbol(s) [${bad.join(' ')}] immediately following a` +
        " key/value separator ':' is not a legal yaml space character"
    }
  }
  return out
}

/** Go's `%s` of a decoded YAML value, as OPA's error messages print it. */
function goText(v: Value): string {
  if (typeof v === 'string') return v
  if (v === null) return '%!s(<nil>)'
  if (typeof v === 'boolean') return `%!s(bool=${v})`
  if (typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))) return `%!s(int=${v})`
  if (typeof v === 'number') return `%!s(float64=${v})`
  if (Array.isArray(v)) return `[${v.map(goText).join(' ')}]`
  if (v instanceof RegoObject) {
    const entries = [...v.entries()].map(([k, x]) => [goText(k), goText(x)] as const)
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `map[${entries.map(([k, x]) => `${k}:${x}`).join(' ')}]`
  }
  // YAML gives no sets.
  return `[${[...v.values()].map(goText).join(' ')}]`
}

function stringField(o: RegoObject, key: string): string {
  const v = o.get(key)
  return typeof v === 'string' ? v.trim() : ''
}

function relatedResource(v: Value): { ref: string; description?: string } {
  const fail = (why: string): ParseFail =>
    new ParseFail(`invalid related-resource definition ${goText(v)}: ${why}`, 0, 0)
  if (typeof v === 'string') {
    if (v === '') throw fail('ref URL may not be empty string')
    return { ref: v }
  }
  if (v instanceof RegoObject) {
    const ref = stringField(v, 'ref')
    const description = stringField(v, 'description')
    if (ref === '') throw fail("'ref' value required in object")
    return description ? { ref, description } : { ref }
  }
  throw fail('invalid value type, must be string or map')
}

function author(v: Value): { name?: string; email?: string } {
  const fail = (why: string): ParseFail => new ParseFail(`invalid author definition ${goText(v)}: ${why}`, 0, 0)
  const named = (name: string, email: string): { name?: string; email?: string } => ({
    ...(name ? { name } : {}),
    ...(email ? { email } : {}),
  })
  if (typeof v === 'string') {
    const words = v.split(/\s+/).filter((w) => w !== '')
    if (words.length === 0) throw fail('author is an empty string')
    const last = words[words.length - 1] ?? ''
    if (last.length >= 2 && last.startsWith('<') && last.endsWith('>')) {
      return named(words.slice(0, -1).join(' '), last.slice(1, -1))
    }
    return named(words.join(' '), '')
  }
  if (v instanceof RegoObject) {
    const name = stringField(v, 'name')
    const email = stringField(v, 'email')
    if (!name && !email) throw fail("'name' and/or 'email' values required in object")
    return named(name, email)
  }
  throw fail('invalid value type, must be string or map')
}

class RefParser extends BodyParser {
  term(): Term | undefined {
    const t = this.parseTerm()
    return this.is('eof') ? t : undefined
  }
}

/** A reference written as text (`input.x`, `schema["a"]`) as strings, or undefined. */
function refStrings(text: string): string[] | undefined {
  let term: Term | undefined
  try {
    term = new RefParser(
      '',
      tokenize(text, { maxLineLength: 65536, maxSourceLength: 65536 }).tokens,
      new Set(BASE_KEYWORDS),
      100,
    ).term()
  } catch (e) {
    if (e instanceof ParseFail) return undefined
    throw e
  }
  if (term?.type === 'var') return [term.name]
  if (term?.type !== 'ref' || term.head.type !== 'var') return undefined
  return [term.head.name, ...term.path.map((t) => (t.type === 'string' ? t.value : termText(t)))]
}

function schema(v: Value): AnnotationSchema {
  const pair = v instanceof RegoObject ? [...v.entries()][0] : undefined
  const key = typeof pair?.[0] === 'string' ? pair[0] : ''
  const value = pair?.[1] ?? null
  const path = refStrings(key)
  if (!path) throw new ParseFail('invalid document reference', 0, 0)
  if (typeof value === 'string') {
    const ref = refStrings(value)
    if (!ref || ref[0] !== 'schema') throw new ParseFail('invalid schema reference', 0, 0)
    return { path, schema: ref }
  }
  if (value instanceof RegoObject) return { path, definition: value }
  throw new ParseFail(`invalid schema declaration for path ${JSON.stringify(key)}`, 0, 0)
}

function annotationFrom(fields: ReadonlyMap<string, Value>, block: MetadataBlock, file: string): BlockAnnotation {
  const text = (k: string): string => {
    const v = fields.get(k)
    return typeof v === 'string' ? v : ''
  }
  const list = (k: string): readonly Value[] => {
    const v = fields.get(k)
    return Array.isArray(v) ? v : []
  }
  const relatedResources = list('related_resources').map(relatedResource)
  const schemas = list('schemas').map(schema)
  const authors = list('authors').map(author)
  const organizations = list('organizations').map(String)
  const custom = fields.get('custom')
  return {
    scope: text('scope'),
    ...(text('title') ? { title: text('title') } : {}),
    ...(text('description') ? { description: text('description') } : {}),
    ...(fields.get('entrypoint') === true ? { entrypoint: true } : {}),
    ...(organizations.length > 0 ? { organizations } : {}),
    ...(relatedResources.length > 0 ? { relatedResources } : {}),
    ...(authors.length > 0 ? { authors } : {}),
    ...(schemas.length > 0 ? { schemas } : {}),
    ...(custom instanceof RegoObject && custom.size > 0 ? { custom } : {}),
    loc: { file, row: block.start.row, col: block.start.col },
  }
}

/** The annotation of a block; a ParseFail (at OPA's location) when its YAML or a field is bad. */
export function readMetadataBlock(block: MetadataBlock, file: string): BlockAnnotation {
  const { start, lines } = block
  const yaml = lines.map((l) => (l.text.startsWith(' ') ? l.text.slice(1) : l.text) + '\n').join('')
  if (yaml.trim() === '') throw new ParseFail('expected METADATA block, found whitespace', start.row, start.col)
  const raw = readMetadataYaml(yaml)
  if ('problem' in raw) {
    // OPA indexes the block's lines with the YAML line number, clamped to the last line.
    const at = raw.line === undefined ? lines[0] : (lines[Math.min(raw.line, lines.length - 1)] ?? lines[0])
    throw new ParseFail(withSpacingHints(raw.problem, lines), at?.row ?? start.row, at?.col ?? start.col)
  }
  try {
    return annotationFrom(raw.fields, block, file)
  } catch (e) {
    if (e instanceof ParseFail) throw new ParseFail(e.message, start.row, start.col)
    throw e
  }
}
