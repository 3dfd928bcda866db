import { typeName, typeString, type Definition, type Field, type Selection } from './ast.ts'
import { quotedOrList, suggestQuoted, suggestionList } from './suggestions.ts'
import type { Rule, Walker } from './walker.ts'

/** Validation rules about fields, fragments, arguments and directives (gqlparser's names). */

function isComposite(d: Definition): boolean {
  return d.kind === 'OBJECT' || d.kind === 'INTERFACE' || d.kind === 'UNION'
}

function isLeaf(d: Definition): boolean {
  return d.kind === 'ENUM' || d.kind === 'SCALAR'
}

function suggestedTypeNames(walker: Walker, parent: Definition, name: string): string[] {
  if (parent.kind !== 'INTERFACE' && parent.kind !== 'UNION') return []
  const objects: string[] = []
  const interfaces: string[] = []
  const usage = new Map<string, number>()
  for (const possible of walker.possibleTypes(parent)) {
    if (!possible.fields.some((f) => f.name === name)) continue
    objects.push(possible.name)
    for (const intfName of possible.interfaces) {
      const intf = walker.schema.types.get(intfName)
      if (intf?.fields.some((f) => f.name === name)) {
        if (!usage.has(intfName)) interfaces.push(intfName)
        usage.set(intfName, (usage.get(intfName) ?? 0) + 1)
      }
    }
  }
  interfaces.sort((a, b) => (usage.get(b) ?? 0) - (usage.get(a) ?? 0))
  return [...interfaces, ...objects]
}

export const fieldsOnCorrectType: Rule = {
  name: 'FieldsOnCorrectType',
  register: (events, addError) => {
    events.field.push((walker, field) => {
      const parent = field.objectDefinition
      if (!parent || field.definition) return
      let message = `Cannot query field "${field.name}" on type "${parent.name}".`
      const types = suggestedTypeNames(walker, parent, field.name)
      if (types.length > 0) {
        message += ` Did you mean to use an inline fragment on ${quotedOrList(types)}?`
      } else if (parent.kind === 'OBJECT' || parent.kind === 'INTERFACE') {
        const names = suggestionList(
          field.name,
          parent.fields.map((f) => f.name),
        )
        if (names.length > 0) message += ` Did you mean ${quotedOrList(names)}?`
      }
      addError(message, field.position)
    })
  },
}

export const fragmentsOnCompositeTypes: Rule = {
  name: 'FragmentsOnCompositeTypes',
  register: (events, addError) => {
    events.inlineFragment.push((walker, frag) => {
      const t = walker.schema.types.get(frag.typeCondition)
      if (!t || isComposite(t)) return
      addError(`Fragment cannot condition on non composite type "${frag.typeCondition}".`, frag.position)
    })
    events.fragment.push((_walker, frag) => {
      if (!frag.definition || frag.typeCondition === '' || isComposite(frag.definition)) return
      addError(`Fragment "${frag.name}" cannot condition on non composite type "${frag.typeCondition}".`, frag.position)
    })
  },
}

export const knownArgumentNames: Rule = {
  name: 'KnownArgumentNames',
  register: (events, addError) => {
    events.field.push((_walker, field) => {
      const def = field.definition
      if (!def || !field.objectDefinition) return
      for (const arg of field.arguments) {
        if (def.arguments.some((a) => a.name === arg.name)) continue
        const hint = suggestQuoted(
          'Did you mean',
          arg.name,
          def.arguments.map((a) => a.name),
        )
        addError(
          `Unknown argument "${arg.name}" on field "${field.objectDefinition.name}.${field.name}".${hint}`,
          arg.position,
        )
      }
    })
    events.directive.push((_walker, dir) => {
      const def = dir.definition
      if (!def) return
      for (const arg of dir.arguments) {
        if (def.arguments.some((a) => a.name === arg.name)) continue
        const hint = suggestQuoted(
          'Did you mean',
          arg.name,
          def.arguments.map((a) => a.name),
        )
        addError(`Unknown argument "${arg.name}" on directive "@${dir.name}".${hint}`, arg.position)
      }
    })
  },
}

export const knownDirectives: Rule = {
  name: 'KnownDirectives',
  register: (events, addError) => {
    events.directive.push((_walker, dir) => {
      if (!dir.definition) {
        addError(`Unknown directive "@${dir.name}".`, dir.position)
        return
      }
      if (dir.definition.locations.includes(dir.location)) return
      addError(`Directive "@${dir.name}" may not be used on ${dir.location}.`, dir.position)
    })
  },
}

export const knownFragmentNames: Rule = {
  name: 'KnownFragmentNames',
  register: (events, addError) => {
    events.fragmentSpread.push((_walker, spread) => {
      if (!spread.definition) addError(`Unknown fragment "${spread.name}".`, spread.position)
    })
  },
}

export const knownRootType: Rule = {
  name: 'KnownRootType',
  register: (events, addError) => {
    events.operation.push((walker, op) => {
      const kind = op.operation === '' ? 'query' : op.operation
      const def =
        kind === 'query'
          ? walker.schema.query
          : kind === 'mutation'
            ? walker.schema.mutation
            : walker.schema.subscription
      if (!def) addError(`Schema does not support operation type "${op.operation}"`, op.position)
    })
  },
}

export const knownTypeNames: Rule = {
  name: 'KnownTypeNames',
  register: (events, addError) => {
    events.variable.push((walker, v) => {
      const name = typeName(v.type)
      if (!walker.schema.types.has(name)) addError(`Unknown type "${name}".`, v.position)
    })
    events.inlineFragment.push((walker, frag) => {
      if (frag.typeCondition === '' || walker.schema.types.has(frag.typeCondition)) return
      addError(`Unknown type "${frag.typeCondition}".`, frag.position)
    })
    events.fragment.push((walker, frag) => {
      if (walker.schema.types.has(frag.typeCondition)) return
      const hint = suggestQuoted('Did you mean', frag.typeCondition, [...walker.schema.types.keys()])
      addError(`Unknown type "${frag.typeCondition}".${hint}`, frag.position)
    })
  },
}

export const loneAnonymousOperation: Rule = {
  name: 'LoneAnonymousOperation',
  register: (events, addError) => {
    events.operation.push((walker, op) => {
      if (op.name === '' && walker.document.operations.length > 1) {
        addError('This anonymous operation must be the only defined operation.', op.position)
      }
    })
  },
}

export const noFragmentCycles: Rule = {
  name: 'NoFragmentCycles',
  register: (events, addError) => {
    const visited = new Set<string>()
    events.fragment.push((walker, frag) => {
      const path: { name: string; position: typeof frag.position }[] = []
      const pathIndex = new Map<string, number>()
      const detect = (name: string, selections: readonly Selection[]): void => {
        if (visited.has(name)) return
        visited.add(name)
        const spreads = collectSpreads(selections)
        if (spreads.length === 0) return
        pathIndex.set(name, path.length)
        for (const spread of spreads) {
          const cycleAt = pathIndex.get(spread.name)
          path.push({ name: spread.name, position: spread.position })
          if (cycleAt === undefined) {
            const target = walker.fragment(spread.name)
            if (target) detect(target.name, target.selectionSet)
          } else {
            const cycle = path.slice(cycleAt)
            const via = cycle.slice(0, -1).map((s) => `"${s.name}"`)
            const suffix = via.length === 0 ? '' : ` via ${via.join(', ')}`
            addError(`Cannot spread fragment "${spread.name}" within itself${suffix}.`, cycle[0]?.position)
          }
          path.pop()
        }
        pathIndex.delete(name)
      }
      detect(frag.name, frag.selectionSet)
    })
  },
}

function collectSpreads(selections: readonly Selection[]): { name: string; position: Field['position'] }[] {
  const out: { name: string; position: Field['position'] }[] = []
  const visit = (set: readonly Selection[]): void => {
    for (const sel of set) {
      if (sel.selection === 'spread') out.push({ name: sel.name, position: sel.position })
      else visit(sel.selectionSet)
    }
  }
  visit(selections)
  return out
}

export const noUnusedFragments: Rule = {
  name: 'NoUnusedFragments',
  register: (events, addError) => {
    let inFragment = false
    const used = new Set<string>()
    events.fragmentSpread.push((_walker, spread) => {
      if (!inFragment) used.add(spread.name)
    })
    events.fragment.push((_walker, frag) => {
      inFragment = true
      if (!used.has(frag.name)) addError(`Fragment "${frag.name}" is never used.`, frag.position)
    })
  },
}

export const possibleFragmentSpreads: Rule = {
  name: 'PossibleFragmentSpreads',
  register: (events, addError) => {
    const overlaps = (walker: Walker, parent: Definition | undefined, fragmentType: string): boolean => {
      if (!parent) return true
      let parents: Definition[]
      if (parent.kind === 'OBJECT') parents = [parent]
      else if (parent.kind === 'INTERFACE' || parent.kind === 'UNION') parents = walker.possibleTypes(parent)
      else return true
      const frag = walker.schema.types.get(fragmentType)
      if (!frag || !isComposite(frag)) return true
      return walker.possibleTypes(frag).some((f) => parents.some((p) => p.name === f.name))
    }
    events.inlineFragment.push((walker, frag) => {
      if (overlaps(walker, frag.objectDefinition, frag.typeCondition)) return
      addError(
        `Fragment cannot be spread here as objects of type "${frag.objectDefinition?.name}" can never be of type "${frag.typeCondition}".`,
        frag.position,
      )
    })
    events.fragmentSpread.push((walker, spread) => {
      const def = spread.definition
      if (!def || overlaps(walker, spread.objectDefinition, def.typeCondition)) return
      addError(
        `Fragment "${spread.name}" cannot be spread here as objects of type "${spread.objectDefinition?.name}" can never be of type "${def.typeCondition}".`,
        spread.position,
      )
    })
  },
}

export const providedRequiredArguments: Rule = {
  name: 'ProvidedRequiredArguments',
  register: (events, addError) => {
    events.field.push((_walker, field) => {
      for (const argDef of field.definition?.arguments ?? []) {
        if (!argDef.type.nonNull || argDef.defaultValue) continue
        if (field.arguments.some((a) => a.name === argDef.name)) continue
        addError(
          `Field "${field.name}" argument "${argDef.name}" of type "${typeString(argDef.type)}" is required, but it was not provided.`,
          field.position,
        )
      }
    })
    events.directive.push((_walker, dir) => {
      for (const argDef of dir.definition?.arguments ?? []) {
        if (!argDef.type.nonNull || argDef.defaultValue) continue
        if (dir.arguments.some((a) => a.name === argDef.name)) continue
        addError(
          `Directive "@${dir.name}" argument "${argDef.name}" of type "${typeString(argDef.type)}" is required, but it was not provided.`,
          dir.position,
        )
      }
    })
  },
}

export const scalarLeafs: Rule = {
  name: 'ScalarLeafs',
  register: (events, addError) => {
    events.field.push((walker, field) => {
      if (!field.definition) return
      const t = walker.schema.types.get(typeName(field.definition.type))
      if (!t) return
      if (isLeaf(t) && field.selectionSet.length > 0) {
        addError(
          `Field "${field.name}" must not have a selection since type "${t.name}" has no subfields.`,
          field.position,
        )
      }
      if (!isLeaf(t) && field.selectionSet.length === 0) {
        addError(
          `Field "${field.name}" of type "${typeString(field.definition.type)}" must have a selection of subfields.`,
          field.position,
        )
      }
    })
  },
}

export const singleFieldSubscriptions: Rule = {
  name: 'SingleFieldSubscriptions',
  register: (events, addError) => {
    events.operation.push((walker, op) => {
      if (!walker.schema.subscription || op.operation !== 'subscription') return
      const fields: Field[] = []
      const seen = new Set<string>()
      const collect = (set: readonly Selection[]): void => {
        for (const sel of set) {
          if (sel.selection === 'field') {
            if (!seen.has(sel.name)) {
              seen.add(sel.name)
              fields.push(sel)
            }
          } else if (sel.selection === 'inline') {
            collect(sel.selectionSet)
          } else {
            const frag = walker.fragment(sel.name)
            if (frag) collect(frag.selectionSet)
          }
        }
      }
      collect(op.selectionSet)
      const name = op.name === '' ? 'Anonymous Subscription' : `Subscription "${op.name}"`
      if (fields.length > 1) addError(`${name} must select only one top level field.`, fields[1]?.position)
      for (const f of fields) {
        if (f.name.startsWith('__')) addError(`${name} must not select an introspection top level field.`, f.position)
      }
    })
  },
}
