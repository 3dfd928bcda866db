/**
 * The GraphQL syntax tree, shaped like the Go library OPA uses (vektah/gqlparser, vendored in
 * OPA as internal/gqlparser): the builtins return it as a Rego object whose keys are the Go
 * struct field names. Fields below the "set by validation" comments are filled in by the
 * validator and never exported.
 */

export interface Position {
  readonly line: number
  readonly column: number
}

export type OperationKind = 'query' | 'mutation' | 'subscription'

/** gqlparser's ValueKind enumeration; the numbers appear in the exported AST. */
export const ValueKind = {
  Variable: 0,
  Int: 1,
  Float: 2,
  String: 3,
  Block: 4,
  Boolean: 5,
  Null: 6,
  Enum: 7,
  List: 8,
  Object: 9,
} as const
export type ValueKindNumber = (typeof ValueKind)[keyof typeof ValueKind]

export interface GqlType {
  namedType: string
  elem: GqlType | undefined
  nonNull: boolean
  position: Position | undefined
}

export interface ChildValue {
  name: string
  value: GqlValue
  position: Position | undefined
}

export interface GqlValue {
  raw: string
  children: ChildValue[]
  kind: ValueKindNumber
  position: Position | undefined
  // set by validation
  definition?: Definition | undefined
  expectedType?: GqlType | undefined
  variableDefinition?: VariableDefinition | undefined
}

export interface Argument {
  name: string
  value: GqlValue
  position: Position | undefined
}

export interface Directive {
  name: string
  arguments: Argument[]
  position: Position | undefined
  // set by validation
  location: string
  definition?: DirectiveDefinition | undefined
}

export interface VariableDefinition {
  variable: string
  type: GqlType
  defaultValue: GqlValue | undefined
  directives: Directive[]
  position: Position | undefined
  // set by validation
  used: boolean
  definition?: Definition | undefined
}

export interface Field {
  readonly selection: 'field'
  alias: string
  name: string
  arguments: Argument[]
  directives: Directive[]
  selectionSet: Selection[]
  position: Position | undefined
  // set by validation
  definition?: FieldDefinition | undefined
  objectDefinition?: Definition | undefined
}

export interface FragmentSpread {
  readonly selection: 'spread'
  name: string
  directives: Directive[]
  position: Position | undefined
  // set by validation
  definition?: FragmentDefinition | undefined
  objectDefinition?: Definition | undefined
}

export interface InlineFragment {
  readonly selection: 'inline'
  typeCondition: string
  directives: Directive[]
  selectionSet: Selection[]
  position: Position | undefined
  // set by validation
  objectDefinition?: Definition | undefined
}

export type Selection = Field | FragmentSpread | InlineFragment

export interface OperationDefinition {
  operation: OperationKind | ''
  name: string
  variableDefinitions: VariableDefinition[]
  directives: Directive[]
  selectionSet: Selection[]
  position: Position | undefined
}

export interface FragmentDefinition {
  name: string
  variableDefinition: VariableDefinition[]
  typeCondition: string
  directives: Directive[]
  selectionSet: Selection[]
  position: Position | undefined
  // set by validation
  definition?: Definition | undefined
}

export interface QueryDocument {
  operations: OperationDefinition[]
  fragments: FragmentDefinition[]
}

export type DefinitionKind = 'SCALAR' | 'OBJECT' | 'INTERFACE' | 'UNION' | 'ENUM' | 'INPUT_OBJECT'

export interface ArgumentDefinition {
  description: string
  name: string
  defaultValue: GqlValue | undefined
  type: GqlType
  directives: Directive[]
  position: Position | undefined
}

export interface FieldDefinition {
  description: string
  name: string
  arguments: ArgumentDefinition[]
  defaultValue: GqlValue | undefined
  type: GqlType
  directives: Directive[]
  position: Position | undefined
}

export interface EnumValueDefinition {
  description: string
  name: string
  directives: Directive[]
  position: Position | undefined
}

export interface Definition {
  kind: DefinitionKind
  description: string
  name: string
  directives: Directive[]
  interfaces: string[]
  fields: FieldDefinition[]
  types: string[]
  enumValues: EnumValueDefinition[]
  position: Position | undefined
  builtIn: boolean
}

export interface DirectiveDefinition {
  description: string
  name: string
  arguments: ArgumentDefinition[]
  locations: string[]
  isRepeatable: boolean
  position: Position | undefined
}

export interface OperationTypeDefinition {
  operation: OperationKind | ''
  type: string
  position: Position | undefined
}

export interface SchemaDefinition {
  description: string
  directives: Directive[]
  operationTypes: OperationTypeDefinition[]
  position: Position | undefined
}

export interface SchemaDocument {
  schema: SchemaDefinition[]
  schemaExtension: SchemaDefinition[]
  directives: DirectiveDefinition[]
  definitions: Definition[]
  extensions: Definition[]
}

/** A validated schema: the document's types merged with the prelude, roots resolved. */
export interface Schema {
  query: Definition | undefined
  mutation: Definition | undefined
  subscription: Definition | undefined
  types: Map<string, Definition>
  directives: Map<string, DirectiveDefinition>
  possibleTypes: Map<string, Definition[]>
  implements: Map<string, Definition[]>
}

export function typeName(t: GqlType): string {
  return t.elem ? typeName(t.elem) : t.namedType
}

export function typeString(t: GqlType): string {
  const base = t.elem ? `[${typeString(t.elem)}]` : t.namedType
  return t.nonNull ? base + '!' : base
}

export function namedType(name: string, nonNull = false): GqlType {
  return { namedType: name, elem: undefined, nonNull, position: undefined }
}

export function emptyDefinition(kind: DefinitionKind, name: string, position: Position | undefined): Definition {
  return {
    kind,
    description: '',
    name,
    directives: [],
    interfaces: [],
    fields: [],
    types: [],
    enumValues: [],
    position,
    builtIn: false,
  }
}

/** A GraphQL error at a source position, printed as gqlparser does: `input:line:col: message`. */
export class GqlError extends Error {
  readonly position: Position | undefined
  constructor(message: string, position: Position | undefined) {
    super(message)
    this.name = 'GqlError'
    this.position = position
  }

  override toString(): string {
    const p = this.position
    return `input:${p?.line ?? 0}:${p?.column ?? 0}: ${this.message}`
  }
}
