import { RegoObject, typeName as regoTypeName, type Value } from '../../../value/value.ts'
import {
  ValueKind,
  type Argument,
  type ArgumentDefinition,
  type ChildValue,
  type Definition,
  type DefinitionKind,
  type Directive,
  type DirectiveDefinition,
  type EnumValueDefinition,
  type FieldDefinition,
  type FragmentDefinition,
  type GqlType,
  type GqlValue,
  type OperationDefinition,
  type OperationKind,
  type QueryDocument,
  type SchemaDefinition,
  type SchemaDocument,
  type Selection,
  type ValueKindNumber,
  type VariableDefinition,
} from './ast.ts'

/** Raised when an AST object does not have the shape of gqlparser's structs. */
export class AstShapeError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'AstShapeError'
  }
}

function mismatch(v: Value, goType: string, field: string): AstShapeError {
  const got = regoTypeName(v)
  return new AstShapeError(
    `json: cannot unmarshal ${got === 'set' ? 'array' : got} into Go struct field ${field} of type ${goType}`,
  )
}

/**
 * Reads one JSON object the way encoding/json fills a struct: keys match field names exactly or
 * else case-insensitively, unknown keys are ignored, null leaves the zero value.
 */
class Fields {
  private readonly o: RegoObject | undefined
  private readonly struct: string

  constructor(v: Value | undefined, struct: string) {
    if (v === undefined || v === null) this.o = undefined
    else if (v instanceof RegoObject) this.o = v
    else throw mismatch(v, struct, struct)
    this.struct = struct
  }

  private get(name: string): Value | undefined {
    if (!this.o) return undefined
    const exact = this.o.get(name)
    if (exact !== undefined) return exact
    const lower = name.toLowerCase()
    for (const [k, v] of this.o.entries()) {
      if (typeof k === 'string' && k.toLowerCase() === lower) return v
    }
    return undefined
  }

  has(name: string): boolean {
    const v = this.get(name)
    return v !== undefined && v !== null
  }

  str(name: string): string {
    const v = this.get(name)
    if (v === undefined || v === null) return ''
    if (typeof v !== 'string') throw mismatch(v, 'string', `${this.struct}.${name}`)
    return v
  }

  bool(name: string): boolean {
    const v = this.get(name)
    if (v === undefined || v === null) return false
    if (typeof v !== 'boolean') throw mismatch(v, 'bool', `${this.struct}.${name}`)
    return v
  }

  int(name: string): number {
    const v = this.get(name)
    if (v === undefined || v === null) return 0
    if (typeof v !== 'number' || !Number.isInteger(v)) throw mismatch(v, 'int', `${this.struct}.${name}`)
    return v
  }

  raw(name: string): Value | undefined {
    const v = this.get(name)
    return v === null ? undefined : v
  }

  list<T>(name: string, read: (v: Value) => T): T[] {
    const v = this.get(name)
    if (v === undefined || v === null) return []
    if (!Array.isArray(v)) throw mismatch(v, `[]${name}`, `${this.struct}.${name}`)
    return v.map(read)
  }

  strings(name: string): string[] {
    return this.list(name, (v) => {
      if (typeof v !== 'string') throw mismatch(v, 'string', `${this.struct}.${name}`)
      return v
    })
  }
}

function readType(v: Value | undefined): GqlType | undefined {
  if (v === undefined || v === null) return undefined
  const f = new Fields(v, 'Type')
  return {
    namedType: f.str('NamedType'),
    elem: readType(f.raw('Elem')),
    nonNull: f.bool('NonNull'),
    position: undefined,
  }
}

function requireType(v: Value | undefined): GqlType {
  return readType(v) ?? { namedType: '', elem: undefined, nonNull: false, position: undefined }
}

function readValue(v: Value | undefined): GqlValue | undefined {
  if (v === undefined || v === null) return undefined
  const f = new Fields(v, 'Value')
  const kind = f.int('Kind')
  if (kind < ValueKind.Variable || kind > ValueKind.Object) throw new AstShapeError(`unknown value kind ${kind}`)
  return {
    raw: f.str('Raw'),
    children: f.list('Children', readChild),
    kind: kind as ValueKindNumber,
    position: undefined,
  }
}

function readChild(v: Value): ChildValue {
  const f = new Fields(v, 'ChildValue')
  return { name: f.str('Name'), value: requireValue(f.raw('Value')), position: undefined }
}

function requireValue(v: Value | undefined): GqlValue {
  return readValue(v) ?? { raw: '', children: [], kind: ValueKind.Variable, position: undefined }
}

function readArgument(v: Value): Argument {
  const f = new Fields(v, 'Argument')
  return { name: f.str('Name'), value: requireValue(f.raw('Value')), position: undefined }
}

function readDirective(v: Value): Directive {
  const f = new Fields(v, 'Directive')
  return {
    name: f.str('Name'),
    arguments: f.list('Arguments', readArgument),
    position: undefined,
    location: f.str('Location'),
  }
}

function readVariableDefinition(v: Value): VariableDefinition {
  const f = new Fields(v, 'VariableDefinition')
  return {
    variable: f.str('Variable'),
    type: requireType(f.raw('Type')),
    defaultValue: readValue(f.raw('DefaultValue')),
    directives: f.list('Directives', readDirective),
    position: undefined,
    used: f.bool('Used'),
  }
}

/** A selection's concrete type is not in the JSON; tell them apart by the keys each one has. */
function readSelection(v: Value): Selection {
  const f = new Fields(v, 'Selection')
  const directives = f.list('Directives', readDirective)
  if (f.has('Alias') || f.has('Arguments') || (f.has('Name') && f.has('SelectionSet'))) {
    const name = f.str('Name')
    return {
      selection: 'field',
      alias: f.has('Alias') ? f.str('Alias') : name,
      name,
      arguments: f.list('Arguments', readArgument),
      directives,
      selectionSet: f.list('SelectionSet', readSelection),
      position: undefined,
    }
  }
  if (f.has('TypeCondition') || f.has('SelectionSet')) {
    return {
      selection: 'inline',
      typeCondition: f.str('TypeCondition'),
      directives,
      selectionSet: f.list('SelectionSet', readSelection),
      position: undefined,
    }
  }
  return { selection: 'spread', name: f.str('Name'), directives, position: undefined }
}

function readOperationKind(s: string): OperationKind | '' {
  return s === 'query' || s === 'mutation' || s === 'subscription' ? s : ''
}

function readOperation(v: Value): OperationDefinition {
  const f = new Fields(v, 'OperationDefinition')
  return {
    operation: readOperationKind(f.str('Operation')),
    name: f.str('Name'),
    variableDefinitions: f.list('VariableDefinitions', readVariableDefinition),
    directives: f.list('Directives', readDirective),
    selectionSet: f.list('SelectionSet', readSelection),
    position: undefined,
  }
}

function readFragment(v: Value): FragmentDefinition {
  const f = new Fields(v, 'FragmentDefinition')
  return {
    name: f.str('Name'),
    variableDefinition: f.list('VariableDefinition', readVariableDefinition),
    typeCondition: f.str('TypeCondition'),
    directives: f.list('Directives', readDirective),
    selectionSet: f.list('SelectionSet', readSelection),
    position: undefined,
  }
}

export function queryDocumentFromValue(v: Value): QueryDocument {
  const f = new Fields(v, 'QueryDocument')
  return { operations: f.list('Operations', readOperation), fragments: f.list('Fragments', readFragment) }
}

function readArgumentDefinition(v: Value): ArgumentDefinition {
  const f = new Fields(v, 'ArgumentDefinition')
  return {
    description: f.str('Description'),
    name: f.str('Name'),
    defaultValue: readValue(f.raw('DefaultValue')),
    type: requireType(f.raw('Type')),
    directives: f.list('Directives', readDirective),
    position: undefined,
  }
}

function readFieldDefinition(v: Value): FieldDefinition {
  const f = new Fields(v, 'FieldDefinition')
  return {
    description: f.str('Description'),
    name: f.str('Name'),
    arguments: f.list('Arguments', readArgumentDefinition),
    defaultValue: readValue(f.raw('DefaultValue')),
    type: requireType(f.raw('Type')),
    directives: f.list('Directives', readDirective),
    position: undefined,
  }
}

function readEnumValue(v: Value): EnumValueDefinition {
  const f = new Fields(v, 'EnumValueDefinition')
  return {
    description: f.str('Description'),
    name: f.str('Name'),
    directives: f.list('Directives', readDirective),
    position: undefined,
  }
}

function readDefinition(v: Value): Definition {
  const f = new Fields(v, 'Definition')
  return {
    kind: f.str('Kind') as DefinitionKind,
    description: f.str('Description'),
    name: f.str('Name'),
    directives: f.list('Directives', readDirective),
    interfaces: f.strings('Interfaces'),
    fields: f.list('Fields', readFieldDefinition),
    types: f.strings('Types'),
    enumValues: f.list('EnumValues', readEnumValue),
    position: undefined,
    builtIn: f.bool('BuiltIn'),
  }
}

function readDirectiveDefinition(v: Value): DirectiveDefinition {
  const f = new Fields(v, 'DirectiveDefinition')
  return {
    description: f.str('Description'),
    name: f.str('Name'),
    arguments: f.list('Arguments', readArgumentDefinition),
    locations: f.strings('Locations'),
    isRepeatable: f.bool('IsRepeatable'),
    position: undefined,
  }
}

function readSchemaDefinition(v: Value): SchemaDefinition {
  const f = new Fields(v, 'SchemaDefinition')
  return {
    description: f.str('Description'),
    directives: f.list('Directives', readDirective),
    operationTypes: f.list('OperationTypes', (o) => {
      const g = new Fields(o, 'OperationTypeDefinition')
      return { operation: readOperationKind(g.str('Operation')), type: g.str('Type'), position: undefined }
    }),
    position: undefined,
  }
}

export function schemaDocumentFromValue(v: Value): SchemaDocument {
  const f = new Fields(v, 'SchemaDocument')
  return {
    schema: f.list('Schema', readSchemaDefinition),
    schemaExtension: f.list('SchemaExtension', readSchemaDefinition),
    directives: f.list('Directives', readDirectiveDefinition),
    definitions: f.list('Definitions', readDefinition),
    extensions: f.list('Extensions', readDefinition),
  }
}
