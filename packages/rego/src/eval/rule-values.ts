import type { CBranch, CRuleDef, RuleSet } from '../compiler/ir.ts'
import type { Location } from '../errors.ts'
import { equal } from '../value/compare.ts'
import { RegoObject, RegoSet, type Value } from '../value/value.ts'
import { DataTreeEvaluator } from './data-tree.ts'
import { BUSY, conflict, MULTI, newFrame, UNDEF, type Frame } from './eval-state.ts'

/** True when every branch of a definition has the constant value `v`: it cannot conflict. */
export function producesOnly(def: CRuleDef, v: Value): boolean {
  for (const b of def.branches) if (b.value.k !== 'const' || !equal(b.value.v, v)) return false
  return true
}

/** The values of complete, partial set and partial object rules, cached per evaluation. */
export abstract class RuleEvaluator extends DataTreeEvaluator {
  ruleValue(rs: RuleSet): Value | undefined {
    const c = this.cache.get(rs)
    if (c !== undefined) return c === UNDEF || c === BUSY ? undefined : c
    this.cache.set(rs, BUSY)
    this.enter(rs.loc)
    let v: Value | undefined
    try {
      if (rs.kind === 'complete') {
        // Inline rather than a method of its own: one frame less per level of rule nesting.
        const defs = rs.defs
        for (let i = 0; i < defs.length; i++) {
          const def = defs[i] as CRuleDef
          if (v !== undefined && producesOnly(def, v)) continue
          v = this.defValue(def, newFrame(def.nslots), v, 'complete rules must not produce multiple outputs')
        }
        if (v === undefined && rs.defaultDef) v = this.defaultValue(rs.defaultDef)
      } else if (rs.kind === 'set') v = this.setValue(rs)
      else v = this.objectValue(rs)
    } finally {
      this.depth--
    }
    this.cache.set(rs, v === undefined ? UNDEF : v)
    return v
  }

  /**
   * The value of a definition (body, then each else, until one produces a value) given the
   * value `result` other definitions produced; a different value is a conflict.
   */
  protected defValue(def: CRuleDef, f: Frame, result: Value | undefined, conflictMessage: string): Value | undefined {
    const branches = def.branches
    for (let i = 0; i < branches.length; i++) {
      const br = branches[i] as CBranch
      let produced = false as boolean
      const constant = br.value.k === 'const'
      const emit = (v: Value): boolean => {
        produced = true
        if (result === undefined) result = v
        else if (!equal(result, v)) throw conflict(conflictMessage, br.loc)
        return constant
      }
      const head = (): boolean => {
        const v = this.sync(br.value, f)
        if (v === MULTI) return this.multi(this.pending(br.value), f, emit)
        return v === undefined ? false : emit(v)
      }
      if (br.body.length === 0) head()
      else this.body(br.body, 0, f, head)
      if (produced) return result
    }
    return result
  }

  protected defaultValue(def: CRuleDef): Value | undefined {
    const br = def.branches[0]
    if (!br) return undefined
    const f = newFrame(def.nslots)
    let out: Value | undefined
    this.body(br.body, 0, f, () =>
      this.term(br.value, f, (v) => {
        out = v
        return true
      }),
    )
    return out
  }

  private setValue(rs: RuleSet): Value {
    const out = new RegoSet()
    for (const def of rs.defs) {
      const f = newFrame(def.nslots)
      const br = def.branches[0]
      if (!br) continue
      this.body(br.body, 0, f, () => this.term(br.value, f, (v) => (out.add(v), false)))
    }
    return out
  }

  private objectValue(rs: RuleSet): Value {
    const out = new RegoObject()
    const fresh = new Set<object>([out])
    for (const def of rs.defs) {
      const f = newFrame(def.nslots)
      const br = def.branches[0]
      if (!br) continue
      const keys = def.keys ?? []
      this.body(br.body, 0, f, () =>
        this.list(keys, f, (ks) =>
          this.term(br.value, f, (v) => {
            insertPath(out, ks, v, fresh, def.loc, def.setLeaf)
            return false
          }),
        ),
      )
    }
    return out
  }
}

function insertPath(
  obj: RegoObject,
  keys: Value[],
  v: Value,
  fresh: Set<object>,
  loc: Location,
  setLeaf: boolean,
): void {
  let cur = obj
  for (let i = 0; i < keys.length - 1; i++) {
    const key = keys[i] as Value
    const next = cur.get(key)
    let child: RegoObject
    if (next === undefined) {
      child = new RegoObject()
      fresh.add(child)
    } else if (next instanceof RegoObject) {
      child = fresh.has(next) ? next : next.clone()
      fresh.add(child)
    } else {
      throw conflict('object keys must be unique', loc)
    }
    cur.set(key, child)
    cur = child
  }
  const last = keys[keys.length - 1] as Value
  const existing = cur.get(last)
  if (setLeaf) {
    let leaf: RegoSet
    if (existing === undefined) leaf = new RegoSet()
    else if (existing instanceof RegoSet) leaf = fresh.has(existing) ? existing : existing.clone()
    else throw conflict('object keys must be unique', loc)
    fresh.add(leaf)
    cur.set(last, leaf.add(v))
    return
  }
  if (existing !== undefined && !equal(existing, v)) throw conflict('object keys must be unique', loc)
  cur.set(last, v)
}
