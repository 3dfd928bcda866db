import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml'
import { RegoObject, type Value } from '../value/value.ts'

/**
 * Reads the YAML of a `# METADATA` block the way OPA does (go-yaml v3 unmarshalling into its
 * raw annotation struct): syntax errors first, then the type errors of the known fields, with
 * go-yaml's wording. Unknown keys are ignored; `null` fields are left out.
 */

/** The Go type a field decodes into, as go-yaml names it in its errors. */
type Target =
  | 'string'
  | 'bool'
  | '[]string'
  | '[]interface {}'
  | '[]map[string]interface {}'
  | 'map[string]interface {}'
  | 'interface {}'
  | 'ast.rawAnnotation'

const FIELDS: ReadonlyMap<string, Target> = new Map([
  ['scope', 'string'],
  ['title', 'string'],
  ['entrypoint', 'bool'],
  ['description', 'string'],
  ['organizations', '[]string'],
  ['related_resources', '[]interface {}'],
  ['authors', '[]interface {}'],
  ['schemas', '[]map[string]interface {}'],
  ['compile', 'map[string]interface {}'],
  ['custom', 'map[string]interface {}'],
  ['labels', 'map[string]interface {}'],
])

const YAML_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON'])
const YAML_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'])

/**
 * The known fields of a block with their decoded values (only the non-null ones), or the YAML
 * problem: go-yaml's message and the 1-based YAML line it names, if any.
 */
export type RawMetadata =
  { readonly fields: ReadonlyMap<string, Value> } | { readonly problem: string; readonly line: number | undefined }

/** libyaml's wording for the syntax errors the yaml package reports by code. */
function goYamlProblem(code: string, message: string): string {
  if (/flow sequence/i.test(message)) return "did not find expected ',' or ']'"
  if (/flow map/i.test(message)) return "did not find expected ',' or '}'"
  if (/closing .?quote/i.test(message)) return 'found unexpected end of stream'
  switch (code) {
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'mapping values are not allowed in this context'
    case 'TAB_AS_INDENT':
      return 'found a tab character that violates indentation'
    case 'BAD_INDENT':
    case 'UNEXPECTED_TOKEN':
      return 'did not find expected key'
    default:
      return message.replace(/ at line \d+, column \d+:[\s\S]*$/, '').toLowerCase()
  }
}

class Decoder {
  readonly errors: string[] = []
  private readonly doc: Document.Parsed
  private readonly lines: LineCounter

  constructor(doc: Document.Parsed, lines: LineCounter) {
    this.doc = doc
    this.lines = lines
  }

  private line(node: Node): number {
    return this.lines.linePos(node.range?.[0] ?? 0).line
  }

  private resolve(node: Node | null | undefined): Node | undefined {
    if (node && isAlias(node)) return node.resolve(this.doc) ?? undefined
    return node ?? undefined
  }

  private tag(node: Node): string {
    if (node.tag?.startsWith('tag:yaml.org,2002:')) return '!!' + node.tag.slice('tag:yaml.org,2002:'.length)
    if (node.tag) return node.tag
    if (isMap(node)) return '!!map'
    if (isSeq(node)) return '!!seq'
    const v = isScalar(node) ? node.value : undefined
    if (typeof v === 'string') return '!!str'
    if (typeof v === 'bigint') return '!!int'
    if (typeof v === 'number') return Number.isInteger(v) && !/[.eE]/.test(this.text(node)) ? '!!int' : '!!float'
    if (typeof v === 'boolean') return '!!bool'
    return '!!null'
  }

  private text(node: Node): string {
    if (!isScalar(node)) return ''
    if (typeof node.value === 'string') return node.value
    return node.source ?? String(node.value)
  }

  private typeError(node: Node, target: Target): void {
    const tag = this.tag(node)
    let value = ''
    if (tag !== '!!seq' && tag !== '!!map') {
      const text = this.text(node)
      value = text.length > 10 ? ` \`${text.slice(0, 7)}...\`` : ` \`${text}\``
    }
    this.errors.push(`line ${this.line(node)}: cannot unmarshal ${tag}${value} into ${target}`)
  }

  private isNull(node: Node | undefined): boolean {
    return node === undefined || (isScalar(node) && node.value === null)
  }

  /** Reports keys that appear twice in a mapping, as go-yaml does before decoding it. */
  private checkDuplicateKeys(map: Node): void {
    if (!isMap(map)) return
    const keys = map.items.map((p) => this.resolve(p.key as Node | null))
    keys.forEach((k, i) => {
      if (!k || !isScalar(k)) return
      for (const later of keys.slice(i + 1)) {
        if (later && isScalar(later) && this.text(later) === this.text(k)) {
          const key = JSON.stringify(this.text(later))
          this.errors.push(`line ${this.line(later)}: mapping key ${key} already defined at line ${this.line(k)}`)
        }
      }
    })
  }

  decode(raw: Node | null | undefined, target: Target): Value | undefined {
    const node = this.resolve(raw)
    if (!node || this.isNull(node)) return undefined
    switch (target) {
      case 'interface {}':
        return this.any(node)
      case 'string':
        if (isScalar(node)) return this.text(node)
        break
      case 'bool': {
        const v = isScalar(node) ? node.value : undefined
        if (typeof v === 'boolean') return v
        if (typeof v === 'string' && YAML_TRUE.has(v)) return true
        if (typeof v === 'string' && YAML_FALSE.has(v)) return false
        break
      }
      case '[]string':
      case '[]interface {}':
      case '[]map[string]interface {}': {
        if (!isSeq(node)) break
        const item: Target =
          target === '[]string' ? 'string' : target === '[]interface {}' ? 'interface {}' : 'map[string]interface {}'
        return node.items.map((x) => this.decode(x as Node, item) ?? (item === 'string' ? '' : null))
      }
      case 'map[string]interface {}':
        if (isMap(node)) return this.any(node)
        break
      case 'ast.rawAnnotation':
        break
    }
    this.typeError(node, target)
    return undefined
  }

  private any(node: Node): Value {
    if (isSeq(node)) return node.items.map((x) => this.decode(x as Node, 'interface {}') ?? null)
    if (isMap(node)) {
      this.checkDuplicateKeys(node)
      const out = new RegoObject()
      for (const p of node.items) {
        const key = this.resolve(p.key as Node | null)
        out.set(key ? this.text(key) : '', this.decode(p.value as Node | null, 'interface {}') ?? null)
      }
      return out
    }
    const v = isScalar(node) ? node.value : null
    if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint') {
      return typeof v === 'bigint' && v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v
    }
    return null
  }

  /** The top-level mapping into OPA's raw annotation struct. */
  struct(raw: Node | null | undefined): Map<string, Value> {
    const fields = new Map<string, Value>()
    const node = this.resolve(raw)
    if (!node || this.isNull(node)) return fields
    if (!isMap(node)) {
      this.typeError(node, 'ast.rawAnnotation')
      return fields
    }
    this.checkDuplicateKeys(node)
    for (const p of node.items) {
      const key = this.resolve(p.key as Node | null)
      const target = key && isScalar(key) ? FIELDS.get(this.text(key)) : undefined
      if (!key || !target) continue
      const value = this.decode(p.value as Node | null, target)
      if (value !== undefined) fields.set(this.text(key), value)
    }
    return fields
  }
}

/** Parses the YAML text of a block. */
export function readMetadataYaml(text: string): RawMetadata {
  const lines = new LineCounter()
  const docs = parseAllDocuments(text, { lineCounter: lines, version: '1.2', uniqueKeys: false, intAsBigInt: true })
  const doc = Array.isArray(docs) ? docs[0] : undefined
  if (!doc) return { fields: new Map() }
  const first = doc.errors[0]
  if (first) {
    const line = first.linePos?.[0].line
    // go-yaml leaves the line out of errors on the first line (its 0-based line 0).
    const where = line !== undefined && line > 1 ? `line ${line}: ` : ''
    return { problem: `yaml: ${where}${goYamlProblem(first.code, first.message)}`, line }
  }
  const decoder = new Decoder(doc, lines)
  const fields = decoder.struct(doc.contents)
  if (decoder.errors.length > 0) {
    const line = Number(/^line (\d+):/.exec(decoder.errors[0] ?? '')?.[1])
    return { problem: `yaml: unmarshal errors:\n  ${decoder.errors.join('\n  ')}`, line }
  }
  return { fields }
}
