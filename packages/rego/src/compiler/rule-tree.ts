import type { Module, Rule, Term } from '../ast/ast.ts'
import { RegoError } from '../errors.ts'
import type { Value } from '../value/value.ts'
import { nodeKey } from './context.ts'
import type { RuleKind, RuleNode, RuleSet } from './ir.ts'

/** Where a rule is mounted in the tree and what its dynamic head parts are. */
export interface Mount {
  readonly module: Module
  readonly rule: Rule
  readonly rules: RuleSet
  /** Object rules: the head ref terms after the mount path. */
  readonly keys: readonly Term[] | undefined
  /** `a[x] contains y`: the object's leaves are sets. */
  readonly setLeaf: boolean
}

export function newNode(key: Value, path: readonly Value[]): RuleNode {
  return { key, path, children: new Map(), rules: undefined, hasValueRules: false }
}

export function ensureNode(root: RuleNode, path: readonly Value[]): RuleNode {
  let node = root
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as Value
    const k = nodeKey(seg)
    let child = node.children.get(k)
    if (!child) {
      child = newNode(seg, path.slice(0, i + 1))
      node.children.set(k, child)
    }
    node = child
  }
  return node
}

export function pathName(path: readonly Value[]): string {
  let out = 'data'
  for (const p of path) {
    if (typeof p === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(p)) out += '.' + p
    else out += `[${JSON.stringify(p)}]`
  }
  return out
}

function constOf(t: Term): Value | undefined {
  if (t.type === 'string' || t.type === 'number' || t.type === 'boolean') return t.value
  if (t.type === 'null') return null
  return undefined
}

/** Build the rule tree: one RuleSet per mounted path, conflicts reported. */
export function buildRuleTree(
  modules: readonly Module[],
  errors: RegoError[],
): { root: RuleNode; mounts: Mount[]; sets: RuleSet[] } {
  const root = newNode('data', [])
  const mounts: Mount[] = []
  const sets: RuleSet[] = []
  for (const module of modules) {
    ensureNode(root, module.package)
    for (const rule of module.rules) {
      const head = rule.head
      const ref = head.ref
      const first = ref[0]
      if (!first || first.type !== 'var') {
        errors.push(new RegoError('rego_parse_error', 'invalid rule head', head.loc))
        continue
      }
      const staticPath: Value[] = [first.name]
      let i = 1
      for (; i < ref.length; i++) {
        const c = constOf(ref[i] as Term)
        if (c === undefined) break
        staticPath.push(c)
      }
      const dynamic = ref.slice(i)
      let kind: RuleKind
      if (head.args !== undefined) kind = 'function'
      else if (dynamic.length > 0) kind = 'object'
      else if (head.contains) kind = 'set'
      else kind = 'complete'
      if (dynamic.length > 0 && kind !== 'object') {
        errors.push(new RegoError('rego_type_error', `rule heads with variables are not supported here`, head.loc))
        continue
      }
      const path = [...module.package, ...staticPath]
      const node = ensureNode(root, path)
      let rs = node.rules
      const name = pathName(path)
      if (!rs) {
        rs = {
          id: sets.length,
          kind,
          path,
          name,
          defs: [],
          defaultDef: undefined,
          arity: head.args?.length ?? 0,
          loc: rule.loc,
        }
        node.rules = rs
        sets.push(rs)
      } else if (rs.kind !== kind || (kind === 'function' && rs.arity !== (head.args?.length ?? 0))) {
        errors.push(new RegoError('rego_type_error', `conflicting rules ${name} found`, rule.loc))
        continue
      }
      if (rule.isDefault && mounts.some((m) => m.rules === rs && m.rule.isDefault)) {
        errors.push(new RegoError('rego_type_error', `multiple default rules ${name} found`, rule.loc))
        continue
      }
      mounts.push({
        module,
        rule,
        rules: rs,
        keys: kind === 'object' ? dynamic : undefined,
        setLeaf: kind === 'object' && head.contains,
      })
    }
  }
  markAndCheck(root, errors)
  return { root, mounts, sets }
}

function markAndCheck(node: RuleNode, errors: RegoError[]): boolean {
  let has = node.rules !== undefined && node.rules.kind !== 'function'
  for (const c of node.children.values()) if (markAndCheck(c, errors)) has = true
  node.hasValueRules = has
  const rs = node.rules
  if (rs && rs.kind !== 'object' && node.children.size > 0) {
    const below = [...descendantRules(node)].filter((r) => r !== rs)
    if (below.length > 0) {
      errors.push(
        new RegoError(
          'rego_type_error',
          `rule ${rs.name} conflicts with [${below.map((r) => r.name).join(' ')}]`,
          rs.loc,
        ),
      )
    }
  }
  return has
}

export function* descendantRules(node: RuleNode): Generator<RuleSet> {
  if (node.rules) yield node.rules
  for (const c of node.children.values()) yield* descendantRules(c)
}
