import { nodeKey } from '../compiler/context.ts'
import type { CTerm, RuleNode, RuleSet } from '../compiler/ir.ts'
import type { Location } from '../errors.ts'
import { compare, equal } from '../value/compare.ts'
import { RegoObject, RegoSet, type Value } from '../value/value.ts'
import { conflict, MULTI, type Frame, type VK } from './eval-state.ts'
import { applyOverrides, overrideChild, type Overrides } from './overrides.ts'
import { PrintEvaluator } from './print.ts'
import { indexValue } from './value-access.ts'

/** The `data` document: base data, rules (virtual documents) and `with` overrides merged. */
export abstract class DataTreeEvaluator extends PrintEvaluator {
  /** The document at a ground path below data. */
  protected dataGet(keys: readonly Value[]): Value | undefined {
    let node: RuleNode | undefined = this.root
    let base: Value | undefined = this.base
    let ov = this.ov
    for (let i = 0; i < keys.length; i++) {
      if (ov?.value !== undefined) return getPath(ov.value, keys, i)
      if (node?.rules) {
        const v = this.nodeValue(node, base, ov)
        return v === undefined ? undefined : getPath(v, keys, i)
      }
      if (!node && !ov) return base === undefined ? undefined : getPath(base, keys, i)
      const key = keys[i] as Value
      node = node?.children.get(nodeKey(key))
      base = base === undefined ? undefined : indexBase(base, key)
      ov = overrideChild(ov, key)
    }
    const rs = node?.rules
    if (rs && base === undefined && ov === undefined && (rs.kind === 'complete' || rs.kind === 'set')) {
      // The common case, without the frames of nodeValue and fullValue (deep rule nesting).
      return this.ruleValue(rs)
    }
    return this.fullValue(node, base, ov)
  }

  protected walkData(
    node: RuleNode | undefined,
    base: Value | undefined,
    ov: Overrides | undefined,
    path: readonly CTerm[],
    i: number,
    f: Frame,
    k: VK,
  ): boolean {
    if (ov?.value !== undefined) return this.walk(ov.value, path, i, f, k)
    if (node?.rules) {
      const v = this.nodeValue(node, base, ov)
      return v === undefined ? false : this.walk(v, path, i, f, k)
    }
    if (!node && !ov) return base === undefined ? false : this.walk(base, path, i, f, k)
    if (i === path.length) {
      const v = this.fullValue(node, base, ov)
      return v === undefined ? false : k(v)
    }
    const p = path[i] as CTerm
    const key = this.sync(p, f)
    if (key === undefined) return false
    if (key !== MULTI) {
      return this.walkData(
        node?.children.get(nodeKey(key)),
        base === undefined ? undefined : indexBase(base, key),
        overrideChild(ov, key),
        path,
        i + 1,
        f,
        k,
      )
    }
    const q = this.pending(p)
    const keys = new Map<string, Value>()
    if (node)
      for (const c of node.children.values())
        if (c.rules?.kind !== 'function' || c.rules.arity === 0) keys.set(nodeKey(c.key), c.key)
    if (base instanceof RegoObject) for (const bk of base.keys()) keys.set(nodeKey(bk), bk)
    if (ov) for (const c of ov.children.values()) keys.set(nodeKey(c.key), c.key)
    const sorted = [...keys.values()].sort(compare)
    for (const key of sorted) {
      const stop = this.match(q, key, f, () =>
        this.walkData(
          node?.children.get(nodeKey(key)),
          base === undefined ? undefined : indexValue(base, key),
          overrideChild(ov, key),
          path,
          i + 1,
          f,
          k,
        ),
      )
      if (stop) return true
    }
    return false
  }

  /** The value of a node that holds rules (merged with any rules below it). */
  private nodeValue(node: RuleNode, base: Value | undefined, ov: Overrides | undefined): Value | undefined {
    if (base !== undefined) return ov ? applyOverrides(base, ov) : base
    const rs = node.rules as RuleSet
    if (rs.kind === 'function') return rs.arity === 0 ? this.callUser(rs, [], rs.loc) : undefined
    let v = this.ruleValue(rs)
    if (node.children.size > 0 && rs.kind === 'object') v = this.withRulesBelow(node, rs, v, ov)
    return ov ? applyOverrides(v, ov) : v
  }

  /** An object rule's value merged with the documents of rules mounted below it. */
  private withRulesBelow(node: RuleNode, rs: RuleSet, v: Value | undefined, ov: Overrides | undefined): Value {
    const leafDepth = Math.min(...rs.defs.map((d) => d.keys?.length ?? 1))
    const obj = v instanceof RegoObject ? v.clone() : new RegoObject()
    for (const c of node.children.values()) {
      if (c.rules?.kind === 'function' && c.rules.arity > 0) continue
      const cv = this.fullValue(c, undefined, overrideChild(ov, c.key))
      if (cv === undefined) continue
      const cur = obj.get(c.key)
      obj.set(c.key, cur === undefined ? cv : mergeDocs(cur, cv, rs.loc, leafDepth - 1))
    }
    return obj
  }

  /** The whole document at a position: base data merged with every rule below. */
  private fullValue(node: RuleNode | undefined, base: Value | undefined, ov: Overrides | undefined): Value | undefined {
    if (ov?.value !== undefined) return ov.value
    if (node?.rules) return this.nodeValue(node, base, ov)
    if (!node) return ov ? applyOverrides(base, ov) : base
    const obj = base instanceof RegoObject ? base.clone() : new RegoObject()
    for (const c of node.children.values()) {
      if (c.rules?.kind === 'function' && c.rules.arity > 0) continue
      const cv = this.fullValue(c, obj.get(c.key), overrideChild(ov, c.key))
      if (cv !== undefined) obj.set(c.key, cv)
    }
    if (ov) {
      for (const { key, node: o } of ov.children.values()) {
        if (node.children.has(nodeKey(key))) continue
        const cv = applyOverrides(obj.get(key), o)
        if (cv !== undefined) obj.set(key, cv)
      }
    }
    return obj
  }
}

/** Merge two documents produced for the same key by different rules (sets and objects merge). */
function mergeDocs(a: Value, b: Value, loc: Location, depth: number): Value {
  if (a instanceof RegoSet && b instanceof RegoSet && depth <= 0) {
    const out = a.clone()
    for (const x of b.values()) out.add(x)
    return out
  }
  if (a instanceof RegoObject && b instanceof RegoObject && depth > 0) {
    const out = a.clone()
    for (const [k, v] of b.entries()) {
      const cur = out.get(k)
      out.set(k, cur === undefined ? v : mergeDocs(cur, v, loc, depth - 1))
    }
    return out
  }
  if (equal(a, b)) return a
  throw conflict('object keys must be unique', loc)
}

/** A step into base data; numbers address string keys as in OPA's store. */
function indexBase(base: Value, key: Value): Value | undefined {
  const v = indexValue(base, key)
  if (v === undefined && typeof key === 'number' && base instanceof RegoObject) return base.get(String(key))
  return v
}

function getPath(v: Value, keys: readonly Value[], from: number): Value | undefined {
  let cur: Value | undefined = v
  for (let i = from; i < keys.length && cur !== undefined; i++) cur = indexBase(cur, keys[i] as Value)
  return cur
}
