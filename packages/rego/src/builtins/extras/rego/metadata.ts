import type { Annotation, Module, Rule, Term } from '../../../ast/ast.ts'
import { RegoError } from '../../../errors.ts'
import { termText } from '../../../parser/term-text.ts'
import { RegoObject, type Value } from '../../../value/value.ts'

/**
 * The values of rego.metadata.chain() and rego.metadata.rule(), which OPA's compiler substitutes
 * for those calls in each rule, from the annotations the parser attached to packages and rules.
 *
 * Like OPA's annotation set, `document` and `subpackages` annotations share one tree of paths
 * (below data), `package` annotations are kept per package path, and a second annotation at the
 * same place is a type error.
 */

/** A path below data: the segments as OPA prints them, and a key that keeps `1` and `"1"` apart. */
interface DocPath {
  readonly segments: readonly string[]
  readonly key: string
}

function docPath(parts: readonly (string | Term)[]): DocPath {
  const segments = parts.map((p) => (typeof p === 'string' ? p : p.type === 'string' ? p.value : termText(p)))
  const keys = parts.map((p) => (typeof p === 'string' ? JSON.stringify(p) : termText(p)))
  return { segments, key: keys.join('.') }
}

function isGround(t: Term): boolean {
  switch (t.type) {
    case 'null':
    case 'boolean':
    case 'number':
    case 'string':
      return true
    case 'array':
    case 'set':
      return t.items.every(isGround)
    case 'object':
      return t.entries.every((e) => isGround(e.key) && isGround(e.value))
    default:
      return false
  }
}

/** The package plus the ground prefix of the rule's ref: `a.b[x]` in package p is p.a.b. */
function rulePath(m: Module, rule: Rule): DocPath {
  const parts: (string | Term)[] = [...m.package]
  for (const [i, t] of rule.head.ref.entries()) {
    if (i === 0 && t.type === 'var') parts.push(t.name)
    else if (i > 0 && isGround(t)) parts.push(t)
    else break
  }
  return docPath(parts)
}

/** OPA's Annotations.toObject. */
function annotationValue(a: Annotation): RegoObject {
  const o = RegoObject.from([['scope', a.scope]])
  if (a.title) o.set('title', a.title)
  if (a.entrypoint) o.set('entrypoint', true)
  if (a.description) o.set('description', a.description)
  if (a.organizations) o.set('organizations', [...a.organizations])
  if (a.relatedResources) {
    o.set(
      'related_resources',
      a.relatedResources.map((r) =>
        RegoObject.from(
          r.description
            ? [
                ['ref', r.ref],
                ['description', r.description],
              ]
            : [['ref', r.ref]],
        ),
      ),
    )
  }
  if (a.authors) {
    o.set(
      'authors',
      a.authors.map((x) => {
        const ao = new RegoObject()
        if (x.name) ao.set('name', x.name)
        if (x.email) ao.set('email', x.email)
        return ao
      }),
    )
  }
  if (a.schemas) {
    o.set(
      'schemas',
      a.schemas.map((s) => {
        const so = RegoObject.from([['path', [...s.path]]])
        if (s.schema) so.set('schema', [...s.schema])
        if (s.definition !== undefined) so.set('definition', s.definition)
        return so
      }),
    )
  }
  if (a.custom !== undefined) o.set('custom', a.custom)
  return o
}

interface Placed {
  readonly annotation: Annotation
  readonly path: DocPath
}

function chainEntry(path: DocPath, annotation: Annotation | undefined): RegoObject {
  const o = RegoObject.from([['path', [...path.segments]]])
  if (annotation) o.set('annotations', annotationValue(annotation))
  return o
}

function locationText(a: Annotation): string {
  return `${a.loc.file}:${a.loc.row}`
}

/** Annotation lookups over every module of a compilation. */
export class RegoMetadata {
  /** Annotations declared twice for the same package or path (OPA's type errors). */
  readonly errors: RegoError[] = []
  private readonly byPackage = new Map<string, Placed>()
  /** `document` and `subpackages` annotations by path key. */
  private readonly byPath = new Map<string, Placed>()

  constructor(modules: readonly Module[]) {
    // OPA builds its annotation set over the modules sorted by name.
    const sorted = [...modules].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
    for (const m of sorted) {
      const placed: Placed[] = [
        ...(m.annotations ?? []).map((annotation) => ({ annotation, path: docPath(m.package) })),
        ...m.rules.flatMap((r) => (r.annotations ?? []).map((annotation) => ({ annotation, path: rulePath(m, r) }))),
      ]
      placed.sort((a, b) => a.annotation.loc.row - b.annotation.loc.row)
      for (const p of placed) this.add(p)
    }
  }

  private add(p: Placed): void {
    const scope = p.annotation.scope
    if (scope === 'rule') return
    const index = scope === 'package' ? this.byPackage : this.byPath
    const existing = index.get(p.path.key)
    if (existing) {
      const message = `${scope} annotation redeclared: ${locationText(existing.annotation)}`
      this.errors.push(new RegoError('rego_type_error', message, p.annotation.loc))
      return
    }
    index.set(p.path.key, p)
  }

  /** The rule's own `rule` scoped annotations, closest to the rule first; none for else branches. */
  private own(rule: Rule, elseBranch: boolean): Annotation[] {
    if (elseBranch) return []
    return (rule.annotations ?? []).filter((a) => a.scope === 'rule').sort((a, b) => b.loc.row - a.loc.row)
  }

  /** rego.metadata.rule(): the rule's closest `rule` annotation, or an empty object. */
  rule(rule: Rule, elseBranch = false): Value {
    const [first] = this.own(rule, elseBranch)
    return first ? annotationValue(first) : new RegoObject()
  }

  /**
   * rego.metadata.chain(): the rule's own entries (at least one), then the `document`, `package`
   * and enclosing `subpackages` entries, closest first. OPA gives an else branch its own chain,
   * without the annotations of the rule it belongs to.
   */
  chain(m: Module, rule: Rule, elseBranch = false): Value {
    const path = rulePath(m, rule)
    const own = this.own(rule, elseBranch)
    const out: Value[] = own.length > 0 ? own.map((a) => chainEntry(path, a)) : [chainEntry(path, undefined)]
    const doc = this.byPath.get(path.key)
    if (doc) out.push(chainEntry(doc.path, doc.annotation))
    const pkg = this.byPackage.get(docPath(m.package).key)
    if (pkg) out.push(chainEntry(pkg.path, pkg.annotation))
    for (let n = m.package.length; n > 0; n--) {
      const sub = this.byPath.get(docPath(m.package.slice(0, n)).key)
      if (sub) out.push(chainEntry(sub.path, sub.annotation))
    }
    return out
  }
}
