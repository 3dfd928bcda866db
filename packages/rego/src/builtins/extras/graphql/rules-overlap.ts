import {
  typeString,
  type Argument,
  type Field,
  type FragmentSpread,
  type GqlType,
  type GqlValue,
  type Position,
  type Selection,
} from './ast.ts'
import type { Rule, Walker } from './walker.ts'

/**
 * OverlappingFieldsCanBeMerged: two fields with the same response name must be the same field
 * with the same arguments and compatible types, recursively (graphql-js's algorithm, as
 * gqlparser ports it).
 */

interface Conflict {
  responseName: string
  message: string
  sub: Conflict[]
  position: Position | undefined
}

type FieldMap = Map<string, Field[]>

function fieldsAndSpreads(set: readonly Selection[]): [FieldMap, FragmentSpread[]] {
  const fields: FieldMap = new Map()
  const spreads: FragmentSpread[] = []
  const walk = (s: readonly Selection[]): void => {
    for (const sel of s) {
      if (sel.selection === 'field') {
        const key = sel.alias !== '' ? sel.alias : sel.name
        const list = fields.get(key)
        if (list) list.push(sel)
        else fields.set(key, [sel])
      } else if (sel.selection === 'inline') {
        walk(sel.selectionSet)
      } else {
        spreads.push(sel)
      }
    }
  }
  walk(set)
  return [fields, spreads]
}

function sameValue(a: GqlValue, b: GqlValue): boolean {
  if (a.kind !== b.kind || a.raw !== b.raw || a.children.length !== b.children.length) return false
  return a.children.every((c, i) => {
    const d = b.children[i]
    return d !== undefined && c.name === d.name && sameValue(c.value, d.value)
  })
}

function sameArguments(a: readonly Argument[], b: readonly Argument[]): boolean {
  if (a.length !== b.length) return false
  return a.every((x) => b.some((y) => x.name === y.name && sameValue(x.value, y.value)))
}

function typesConflict(walker: Walker, a: GqlType, b: GqlType): boolean {
  if (a.elem) return b.elem ? typesConflict(walker, a.elem, b.elem) : true
  if (b.elem) return true
  if (a.nonNull !== b.nonNull) return true
  const ta = walker.schema.types.get(a.namedType)
  const tb = walker.schema.types.get(b.namedType)
  const leaf = (k: string | undefined): boolean => k === 'SCALAR' || k === 'ENUM'
  if (ta && tb && leaf(ta.kind) && leaf(tb.kind)) return ta.name !== tb.name
  return false
}

/** Units for mapping a selection's fields by response name (maps built, compared). */
const FIELD_MAP_UNITS = 8

class Manager {
  private readonly walker: Walker
  private readonly comparedPairs = new Map<string, boolean>()
  private comparedFragments = new Set<string>()

  constructor(walker: Walker) {
    this.walker = walker
  }

  within(set: readonly Selection[]): Conflict[] {
    if (set.length === 0) return []
    this.walker.meter.add(set.length)
    const [fields, spreads] = fieldsAndSpreads(set)
    const out: Conflict[] = []
    for (const list of fields.values()) {
      for (let i = 0; i < list.length; i++) {
        for (const b of list.slice(i + 1)) this.push(out, this.find(false, list[i] as Field, b))
      }
    }
    this.comparedFragments = new Set()
    spreads.forEach((a, i) => {
      this.betweenFieldsAndFragment(out, false, fields, a)
      for (const b of spreads.slice(i + 1)) this.betweenFragments(out, false, a, b)
    })
    return out
  }

  private push(out: Conflict[], c: Conflict | undefined): void {
    if (c) out.push(c)
  }

  private betweenFieldsAndFragment(
    out: Conflict[],
    exclusive: boolean,
    fields: FieldMap,
    spread: FragmentSpread,
  ): void {
    if (this.comparedFragments.has(spread.name)) return
    this.comparedFragments.add(spread.name)
    const def = this.walker.fragment(spread.name)
    if (!def) return
    this.walker.meter.add(FIELD_MAP_UNITS * (1 + def.selectionSet.length))
    const [other, nested] = fieldsAndSpreads(def.selectionSet)
    if (sameFieldMap(fields, other)) return
    this.between(out, exclusive, fields, other)
    for (const n of nested) if (n.name !== spread.name) this.betweenFieldsAndFragment(out, exclusive, fields, n)
  }

  private betweenFragments(out: Conflict[], exclusive: boolean, a: FragmentSpread, b: FragmentSpread): void {
    if (a.name === b.name) return
    const key = a.name < b.name ? `${a.name}\u0000${b.name}` : `${b.name}\u0000${a.name}`
    const seen = this.comparedPairs.get(key)
    if (seen !== undefined && (exclusive || !seen)) return
    this.comparedPairs.set(key, exclusive)
    const da = this.walker.fragment(a.name)
    const db = this.walker.fragment(b.name)
    if (!da || !db) return
    // Pairs of fragments: quadratic in their number; mapping each pair's fields takes a few
    // steps' work per selection.
    this.walker.meter.add(FIELD_MAP_UNITS * (1 + da.selectionSet.length + db.selectionSet.length))
    const [fa, sa] = fieldsAndSpreads(da.selectionSet)
    const [fb, sb] = fieldsAndSpreads(db.selectionSet)
    this.between(out, exclusive, fa, fb)
    for (const s of sb) this.betweenFragments(out, exclusive, a, s)
    for (const s of sa) this.betweenFragments(out, exclusive, s, b)
  }

  private between(out: Conflict[], exclusive: boolean, a: FieldMap, b: FieldMap): void {
    for (const [name, fieldsA] of a) {
      const fieldsB = b.get(name)
      if (!fieldsB) continue
      for (const fa of fieldsA) for (const fb of fieldsB) this.push(out, this.find(exclusive, fa, fb))
    }
  }

  private subSelections(exclusive: boolean, a: readonly Selection[], b: readonly Selection[]): Conflict[] {
    this.walker.meter.add(a.length + b.length)
    const out: Conflict[] = []
    const [fa, sa] = fieldsAndSpreads(a)
    const [fb, sb] = fieldsAndSpreads(b)
    this.between(out, exclusive, fa, fb)
    for (const s of sb) {
      this.comparedFragments = new Set()
      this.betweenFieldsAndFragment(out, exclusive, fa, s)
    }
    for (const s of sa) {
      this.comparedFragments = new Set()
      this.betweenFieldsAndFragment(out, exclusive, fb, s)
    }
    for (const x of sa) for (const y of sb) this.betweenFragments(out, exclusive, x, y)
    return out
  }

  /** Compare two fields of the same response name (pairs of them: quadratic in their number). */
  private find(parentExclusive: boolean, a: Field, b: Field): Conflict | undefined {
    this.walker.meter.add(1)
    const da = a.definition
    const db = b.definition
    const pa = a.objectDefinition
    const pb = b.objectDefinition
    if (!da || !db || !pa || !pb) return undefined
    const exclusive = parentExclusive || (pa.name !== pb.name && pa.kind === 'OBJECT' && pb.kind === 'OBJECT')
    const responseName = a.alias !== '' ? a.alias : a.name
    const conflict = (message: string, sub: Conflict[] = []): Conflict => ({
      responseName,
      message,
      sub,
      position: b.position,
    })
    if (!exclusive) {
      if (a.name !== b.name) return conflict(`${a.name} and ${b.name} are different fields`)
      if (!sameArguments(a.arguments, b.arguments)) return conflict('they have differing arguments')
    }
    if (typesConflict(this.walker, da.type, db.type)) {
      return conflict(`they return conflicting types ${typeString(da.type)} and ${typeString(db.type)}`)
    }
    if (a.selectionSet.length > 0 && b.selectionSet.length > 0) {
      const sub = this.subSelections(exclusive, a.selectionSet, b.selectionSet)
      if (sub.length > 0) return conflict('', sub)
    }
    return undefined
  }
}

function sameFieldMap(a: FieldMap, b: FieldMap): boolean {
  if (a.size !== b.size) return false
  for (const [k, v] of a) {
    const w = b.get(k)
    if (!w || w.length !== v.length || v.some((f, i) => f !== w[i])) return false
  }
  return true
}

function describe(c: Conflict): string {
  if (c.sub.length === 0) return c.message
  return c.sub.map((s) => `subfields "${s.responseName}" conflict because ${describe(s)}`).join(' and ')
}

export const overlappingFieldsCanBeMerged: Rule = {
  name: 'OverlappingFieldsCanBeMerged',
  register: (events, addError) => {
    let manager: Manager | undefined
    const report = (walker: Walker, set: readonly Selection[]): void => {
      manager ??= new Manager(walker)
      for (const c of manager.within(set)) {
        addError(
          `Fields "${c.responseName}" conflict because ${describe(c)}. Use different aliases on the fields to fetch both if this was intentional.`,
          c.position,
        )
      }
    }
    events.operation.push((walker, op) => {
      report(walker, op.selectionSet)
    })
    events.field.push((walker, field) => {
      // fields inside fragment definitions are checked when the fragment is
      if (walker.currentOperation) report(walker, field.selectionSet)
    })
    events.inlineFragment.push((walker, frag) => {
      report(walker, frag.selectionSet)
    })
    events.fragment.push((walker, frag) => {
      report(walker, frag.selectionSet)
    })
  },
}
