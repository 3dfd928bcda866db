import { parse as parseYaml } from 'yaml'
import type { Module, Rule } from '../../../ast/ast.ts'
import { RegoError } from '../../../errors.ts'
import { fromJS } from '../../../value/json.ts'
import { RegoObject, type Value } from '../../../value/value.ts'

/**
 * OPA's annotations (`# METADATA` comment blocks) and the values of rego.metadata.chain() and
 * rego.metadata.rule(), which OPA's compiler substitutes for those calls in each rule body.
 *
 * A block attaches to the first statement after it: the package when it comes before every
 * import and rule and is not directly followed by one (the AST keeps no package location),
 * else the import or rule that follows it. The default scope is `package` or `rule`.
 */

type Scope = 'rule' | 'document' | 'package' | 'subpackages'

interface Annotation {
  readonly scope: Scope
  /** The annotation as OPA's Annotations.toObject gives it. */
  readonly value: RegoObject
  /** Rule-scoped annotations: the rule they sit on. */
  readonly rule: Rule | undefined
  /** Path below data: the package, or the package plus the rule's ground ref prefix. */
  readonly path: readonly string[]
  readonly row: number
}

interface Block {
  readonly startRow: number
  readonly endRow: number
  readonly yaml: string
}

function blocks(m: Module): Block[] {
  const out: Block[] = []
  const comments = m.comments
  for (let i = 0; i < comments.length; i++) {
    const c = comments[i]
    if (!c || c.text.trim() !== 'METADATA') continue
    const lines: string[] = []
    let row = c.loc.row
    let j = i + 1
    for (; j < comments.length; j++) {
      const next = comments[j]
      if (!next || next.loc.row !== row + 1) break
      lines.push(next.text.startsWith(' ') ? next.text.slice(1) : next.text)
      row = next.loc.row
    }
    out.push({ startRow: c.loc.row, endRow: row, yaml: lines.join('\n') })
    i = j - 1
  }
  return out
}

/** The ground prefix of a rule's ref as path strings: `p`, `a.b[x]` → [a, b]. */
function rulePath(m: Module, r: Rule): string[] {
  const path = [...m.package]
  for (const [i, t] of r.head.ref.entries()) {
    if (i === 0 && t.type === 'var') path.push(t.name)
    else if (t.type === 'string') path.push(t.value)
    else break
  }
  return path
}

function author(a: unknown): unknown {
  if (typeof a !== 'string') return a
  const m = /^(.*?)\s*<([^>]*)>\s*$/.exec(a)
  return m ? { name: m[1], email: m[2] } : { name: a.trim() }
}

function annotationObject(raw: Record<string, unknown>, scope: Scope): RegoObject {
  const out: Record<string, unknown> = { scope }
  for (const key of ['title', 'description', 'organizations', 'related_resources', 'schemas', 'custom']) {
    if (raw[key] !== undefined && raw[key] !== null) out[key] = raw[key]
  }
  if (raw.entrypoint === true) out.entrypoint = true
  if (Array.isArray(raw.authors)) out.authors = raw.authors.map(author)
  if (Array.isArray(out.related_resources)) {
    out.related_resources = out.related_resources.map((r: unknown) => (typeof r === 'string' ? { ref: r } : r))
  }
  return fromJS(out) as RegoObject
}

function moduleAnnotations(m: Module): Annotation[] {
  const out: Annotation[] = []
  const statements = [
    ...m.imports.map((i) => ({ row: i.loc.row, rule: undefined as Rule | undefined })),
    ...m.rules.map((r) => ({ row: r.loc.row, rule: r })),
  ].sort((a, b) => a.row - b.row)
  const firstRow = statements[0]?.row ?? Number.MAX_SAFE_INTEGER
  for (const b of blocks(m)) {
    let raw: unknown
    try {
      raw = parseYaml(b.yaml) ?? {}
    } catch (e) {
      throw new RegoError('rego_parse_error', `yaml: ${(e as Error).message}`, {
        file: m.file,
        row: b.startRow,
        col: 1,
      })
    }
    const fields = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
    const onPackage = b.endRow < firstRow && b.endRow + 1 !== firstRow
    const target = onPackage ? undefined : statements.find((s) => s.row > b.endRow)
    const scope = (typeof fields.scope === 'string' ? fields.scope : target?.rule ? 'rule' : 'package') as Scope
    const rule = target?.rule
    const path = rule && (scope === 'rule' || scope === 'document') ? rulePath(m, rule) : [...m.package]
    out.push({
      scope,
      value: annotationObject(fields, scope),
      rule: scope === 'rule' ? rule : undefined,
      path,
      row: b.startRow,
    })
  }
  return out
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i])
}

function entry(path: readonly string[], annotations: RegoObject | undefined): RegoObject {
  const o = RegoObject.from([['path', [...path]]])
  if (annotations) o.set('annotations', annotations)
  return o
}

/** Annotation lookups over every module of a compilation. */
export class RegoMetadata {
  private readonly all: Annotation[]

  constructor(modules: readonly Module[]) {
    this.all = modules.flatMap(moduleAnnotations)
  }

  private ruleScoped(rule: Rule): Annotation | undefined {
    return this.all.find((a) => a.scope === 'rule' && a.rule === rule)
  }

  /** rego.metadata.rule(): the rule's own annotations, or an empty object. */
  rule(rule: Rule): Value {
    return this.ruleScoped(rule)?.value ?? new RegoObject()
  }

  /** rego.metadata.chain(): rule, document, package, then enclosing subpackages entries. */
  chain(m: Module, rule: Rule): Value {
    const path = rulePath(m, rule)
    const own = this.ruleScoped(rule)
    const out: Value[] = [entry(path, own?.value)]
    const doc = this.all.find((a) => a.scope === 'document' && samePath(a.path, path))
    if (doc) out.push(entry(doc.path, doc.value))
    const pkg = this.all.find((a) => a.scope === 'package' && samePath(a.path, m.package))
    if (pkg) out.push(entry(pkg.path, pkg.value))
    for (let n = m.package.length; n > 0; n--) {
      const prefix = m.package.slice(0, n)
      const sub = this.all.find((a) => a.scope === 'subpackages' && samePath(a.path, prefix))
      if (sub) out.push(entry(sub.path, sub.value))
    }
    return out
  }
}
