import type { WorkMeter } from '../../work.ts'
import {
  GqlError,
  namedType,
  typeName,
  type Argument,
  type ArgumentDefinition,
  type Definition,
  type Directive,
  type Field,
  type FragmentDefinition,
  type FragmentSpread,
  type GqlValue,
  type InlineFragment,
  type OperationDefinition,
  type Position,
  type QueryDocument,
  type Schema,
  type Selection,
  type VariableDefinition,
} from './ast.ts'

type Observer<T> = (walker: Walker, node: T) => void

/** Callbacks a validation rule registers; the walker calls them after visiting each node's children. */
export class Events {
  readonly operation: Observer<OperationDefinition>[] = []
  readonly field: Observer<Field>[] = []
  readonly fragment: Observer<FragmentDefinition>[] = []
  readonly inlineFragment: Observer<InlineFragment>[] = []
  readonly fragmentSpread: Observer<FragmentSpread>[] = []
  readonly directive: Observer<Directive>[] = []
  readonly directiveList: Observer<Directive[]>[] = []
  readonly value: Observer<GqlValue>[] = []
  readonly variable: Observer<VariableDefinition>[] = []
}

export type AddError = (message: string, position: Position | undefined) => void

export interface Rule {
  readonly name: string
  readonly register: (events: Events, addError: AddError) => void
}

/**
 * Walks a query document against a schema the way gqlparser's validator does, resolving each
 * field, fragment, directive and value to its schema definition before notifying the rules.
 */
export class Walker {
  readonly schema: Schema
  readonly document: QueryDocument
  private readonly events: Events
  currentOperation: OperationDefinition | undefined
  private validatedSpreads = new Set<string>()
  /** Counts the selections and values visited, and what the rules compare. */
  readonly meter: WorkMeter
  private fragments: Map<string, FragmentDefinition> | undefined

  constructor(schema: Schema, document: QueryDocument, events: Events, meter: WorkMeter) {
    this.schema = schema
    this.document = document
    this.events = events
    this.meter = meter
  }

  walk(): void {
    for (const op of this.document.operations) {
      this.validatedSpreads = new Set()
      this.walkOperation(op)
    }
    for (const frag of this.document.fragments) {
      this.validatedSpreads = new Set()
      this.walkFragment(frag)
    }
  }

  /** The first fragment definition of that name. */
  fragment(name: string): FragmentDefinition | undefined {
    if (!this.fragments) {
      this.fragments = new Map()
      for (const f of this.document.fragments) if (!this.fragments.has(f.name)) this.fragments.set(f.name, f)
    }
    return this.fragments.get(name)
  }

  /** Object types a union, interface or object may be at runtime. */
  possibleTypes(def: Definition): Definition[] {
    if (def.kind === 'UNION') {
      return def.types.map((t) => this.schema.types.get(t)).filter((d): d is Definition => d !== undefined)
    }
    return this.schema.possibleTypes.get(def.name) ?? []
  }

  private walkOperation(op: OperationDefinition): void {
    this.currentOperation = op
    for (const v of op.variableDefinitions) {
      v.definition = this.schema.types.get(typeName(v.type))
      for (const f of this.events.variable) f(this, v)
      if (v.defaultValue) {
        v.defaultValue.expectedType = v.type
        v.defaultValue.definition = v.definition
      }
    }
    let def: Definition | undefined
    let location: string
    switch (op.operation) {
      case 'mutation':
        def = this.schema.mutation
        location = 'MUTATION'
        break
      case 'subscription':
        def = this.schema.subscription
        location = 'SUBSCRIPTION'
        break
      default:
        def = this.schema.query
        location = 'QUERY'
        break
    }
    for (const v of op.variableDefinitions) {
      if (v.defaultValue) this.walkValue(v.defaultValue)
      this.walkDirectives(v.definition, v.directives, 'VARIABLE_DEFINITION')
    }
    this.walkDirectives(def, op.directives, location)
    this.walkSelectionSet(def, op.selectionSet)
    for (const f of this.events.operation) f(this, op)
    this.currentOperation = undefined
  }

  private walkFragment(frag: FragmentDefinition): void {
    const def = this.schema.types.get(frag.typeCondition)
    frag.definition = def
    this.walkDirectives(def, frag.directives, 'FRAGMENT_DEFINITION')
    this.walkSelectionSet(def, frag.selectionSet)
    for (const f of this.events.fragment) f(this, frag)
  }

  private walkDirectives(_parent: Definition | undefined, directives: Directive[], location: string): void {
    for (const dir of directives) {
      const def = this.schema.directives.get(dir.name)
      dir.definition = def
      dir.location = location
      for (const arg of dir.arguments)
        this.walkArgument(
          def?.arguments.find((a) => a.name === arg.name),
          arg,
        )
      for (const f of this.events.directive) f(this, dir)
    }
    for (const f of this.events.directiveList) f(this, directives)
  }

  private walkValue(value: GqlValue): void {
    this.meter.add(1)
    if (value.kind === 0 && this.currentOperation) {
      value.variableDefinition = this.currentOperation.variableDefinitions.find((v) => v.variable === value.raw)
      if (value.variableDefinition) value.variableDefinition.used = true
    }
    if (value.kind === 9) {
      for (const child of value.children) {
        const fieldDef = value.definition?.fields.find((f) => f.name === child.name)
        if (fieldDef) {
          child.value.expectedType = fieldDef.type
          child.value.definition = this.schema.types.get(typeName(fieldDef.type))
        }
        this.walkValue(child.value)
      }
    }
    if (value.kind === 8) {
      for (const child of value.children) {
        if (value.expectedType?.elem) {
          child.value.expectedType = value.expectedType.elem
          child.value.definition = value.definition
        }
        this.walkValue(child.value)
      }
    }
    for (const f of this.events.value) f(this, value)
  }

  private walkArgument(argDef: ArgumentDefinition | undefined, arg: Argument): void {
    if (argDef) {
      arg.value.expectedType = argDef.type
      arg.value.definition = this.schema.types.get(typeName(argDef.type))
    }
    this.walkValue(arg.value)
  }

  private walkSelectionSet(parent: Definition | undefined, set: Selection[]): void {
    for (const sel of set) this.walkSelection(parent, sel)
  }

  private walkSelection(parent: Definition | undefined, sel: Selection): void {
    // Fields are looked up by name in their type's list.
    this.meter.add(1 + (parent?.fields.length ?? 0) / 16)
    switch (sel.selection) {
      case 'field': {
        const def =
          sel.name === '__typename'
            ? {
                description: '',
                name: '__typename',
                arguments: [],
                defaultValue: undefined,
                type: namedType('String'),
                directives: [],
                position: undefined,
              }
            : parent?.fields.find((f) => f.name === sel.name)
        sel.definition = def
        sel.objectDefinition = parent
        const next = def ? this.schema.types.get(typeName(def.type)) : undefined
        for (const arg of sel.arguments)
          this.walkArgument(
            def?.arguments.find((a) => a.name === arg.name),
            arg,
          )
        this.walkDirectives(next, sel.directives, 'FIELD')
        this.walkSelectionSet(next, sel.selectionSet)
        for (const f of this.events.field) f(this, sel)
        break
      }
      case 'inline': {
        sel.objectDefinition = parent
        const next = sel.typeCondition !== '' ? this.schema.types.get(sel.typeCondition) : parent
        this.walkDirectives(next, sel.directives, 'INLINE_FRAGMENT')
        this.walkSelectionSet(next, sel.selectionSet)
        for (const f of this.events.inlineFragment) f(this, sel)
        break
      }
      case 'spread': {
        const def = this.fragment(sel.name)
        sel.definition = def
        sel.objectDefinition = parent
        const next = def ? this.schema.types.get(def.typeCondition) : undefined
        this.walkDirectives(next, sel.directives, 'FRAGMENT_SPREAD')
        if (def && !this.validatedSpreads.has(def.name)) {
          this.validatedSpreads.add(def.name)
          this.walkSelectionSet(next, def.selectionSet)
        }
        for (const f of this.events.fragmentSpread) f(this, sel)
        break
      }
    }
  }
}

/** Run the rules over a document; returns the errors in the order the rules raised them. */
export function runRules(
  schema: Schema,
  document: QueryDocument,
  rules: readonly Rule[],
  meter: WorkMeter,
): GqlError[] {
  const errors: GqlError[] = []
  const events = new Events()
  for (const rule of rules) rule.register(events, (message, position) => errors.push(new GqlError(message, position)))
  new Walker(schema, document, events, meter).walk()
  return errors
}
