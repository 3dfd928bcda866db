import type { Annotation, AnnotationScope } from '../ast/ast.ts'
import { RegoError } from '../errors.ts'
import type { BlockAnnotation } from './metadata-block.ts'

/** A statement an annotation can sit on: where it starts and what it is. */
export interface AnnotationTarget {
  readonly row: number
  readonly kind: 'package' | 'import' | 'rule'
  /** For rules: the index in the module's rule list. */
  readonly index: number
}

export interface AttachedAnnotations {
  readonly packageAnnotations: Annotation[]
  /** Rule index → its annotations, in source order. */
  readonly ruleAnnotations: Map<number, Annotation[]>
  readonly errors: RegoError[]
}

const SCOPES: ReadonlySet<string> = new Set(['rule', 'document', 'package', 'subpackages'])

/**
 * Attaches each annotation to the first statement that starts on a later row than its
 * `# METADATA` line, as OPA does. Without a scope, an annotation on a rule is `rule` scoped
 * (`document` when it is an entrypoint) and one on the package `package` scoped. Scopes that do
 * not fit the statement are parse errors with OPA's messages.
 */
export function attachAnnotations(
  annotations: readonly BlockAnnotation[],
  targets: readonly AnnotationTarget[],
): AttachedAnnotations {
  const ordered = [...targets].sort((a, b) => a.row - b.row)
  const out: AttachedAnnotations = { packageAnnotations: [], ruleAnnotations: new Map(), errors: [] }
  const fail = (a: BlockAnnotation, message: string): void => {
    out.errors.push(new RegoError('rego_parse_error', message, a.loc))
  }
  for (const a of annotations) {
    const target = ordered.find((t) => t.row > a.loc.row)
    let scope = a.scope
    if (scope === '' && target) {
      scope = target.kind === 'rule' ? (a.entrypoint ? 'document' : 'rule') : target.kind
    }
    const want = scope === 'rule' || scope === 'document' ? 'rule' : 'package'
    if (!SCOPES.has(scope)) {
      fail(a, `invalid annotation scope '${scope}'. Use one of 'rule', 'document', 'package', or 'subpackages'`)
    } else if (target?.kind !== want) {
      fail(a, `annotation scope '${scope}' must be applied to ${want}${target ? ` (have ${target.kind})` : ''}`)
    }
    if (a.entrypoint && scope !== 'document' && scope !== 'package') {
      fail(a, `annotation entrypoint applied to non-document or package scope '${scope}'`)
    }
    if (!target || target.kind !== want || !SCOPES.has(scope)) continue
    const annotation: Annotation = { ...a, scope: scope as AnnotationScope }
    if (target.kind === 'package') {
      out.packageAnnotations.push(annotation)
    } else {
      const list = out.ruleAnnotations.get(target.index) ?? []
      list.push(annotation)
      out.ruleAnnotations.set(target.index, list)
    }
  }
  return out
}
