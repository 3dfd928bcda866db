import {
  GqlError,
  namedType,
  typeName,
  typeString,
  type ArgumentDefinition,
  type Definition,
  type DefinitionKind,
  type Directive,
  type DirectiveDefinition,
  type GqlType,
  type Position,
  type Schema,
  type SchemaDocument,
} from './ast.ts'
import { goQuote } from './go-quote.ts'
import { preludeDocument } from './prelude.ts'

function fail(position: Position | undefined, message: string): never {
  throw new GqlError(message, position)
}

function mergeDocuments(a: SchemaDocument, b: SchemaDocument): SchemaDocument {
  return {
    schema: [...a.schema, ...b.schema],
    schemaExtension: [...a.schemaExtension, ...b.schemaExtension],
    directives: [...a.directives, ...b.directives],
    definitions: [...a.definitions, ...b.definitions],
    extensions: [...a.extensions, ...b.extensions],
  }
}

function addTo(map: Map<string, Definition[]>, name: string, def: Definition | undefined): void {
  if (!def) return
  const list = map.get(name)
  if (list) list.push(def)
  else map.set(name, [def])
}

/**
 * Build a Schema from a document merged with the prelude, checking it as gqlparser's
 * ValidateSchemaDocument does (first error wins). Mutates the document's definitions
 * (extensions are merged into them), so convert the document to a value beforehand.
 */
export function buildSchema(doc: SchemaDocument): Schema {
  const ast = mergeDocuments(preludeDocument(), doc)
  const schema: Schema = {
    query: undefined,
    mutation: undefined,
    subscription: undefined,
    types: new Map(),
    directives: new Map(),
    possibleTypes: new Map(),
    implements: new Map(),
  }
  for (const def of ast.definitions) {
    if (schema.types.has(def.name)) fail(def.position, `Cannot redeclare type ${def.name}.`)
    schema.types.set(def.name, def)
  }
  const defs = [...ast.definitions]
  for (const ext of ast.extensions) {
    let def = schema.types.get(ext.name)
    if (!def) {
      def = {
        ...ext,
        description: '',
        directives: [],
        interfaces: [],
        fields: [],
        types: [],
        enumValues: [],
        builtIn: false,
      }
      schema.types.set(ext.name, def)
      defs.push(def)
    }
    if (def.kind !== ext.kind) {
      fail(ext.position, `Cannot extend type ${ext.name} because the base type is a ${def.kind}, not ${ext.kind}.`)
    }
    def.directives = [...def.directives, ...ext.directives]
    def.interfaces = [...def.interfaces, ...ext.interfaces]
    def.fields = [...def.fields, ...ext.fields]
    def.types = [...def.types, ...ext.types]
    def.enumValues = [...def.enumValues, ...ext.enumValues]
  }
  for (const def of defs) {
    if (def.kind === 'UNION') {
      for (const t of def.types) {
        addTo(schema.possibleTypes, def.name, schema.types.get(t))
        addTo(schema.implements, t, def)
      }
    } else if (def.kind === 'INPUT_OBJECT' || def.kind === 'OBJECT' || def.kind === 'INTERFACE') {
      for (const intf of def.interfaces) {
        addTo(schema.possibleTypes, intf, def)
        addTo(schema.implements, def.name, schema.types.get(intf))
      }
      if (def.kind !== 'INTERFACE') addTo(schema.possibleTypes, def.name, def)
    }
  }
  for (const dir of ast.directives) {
    if (schema.directives.has(dir.name)) {
      if (!['include', 'skip', 'deprecated', 'specifiedBy', 'defer', 'oneOf'].includes(dir.name)) {
        fail(dir.position, `Cannot redeclare directive ${dir.name}.`)
      }
      continue
    }
    schema.directives.set(dir.name, dir)
  }
  if (ast.schema.length > 1) {
    fail(ast.schema[1]?.position, 'Cannot have multiple schema entry points, consider schema extensions instead.')
  }
  for (const entry of [...ast.schema, ...ast.schemaExtension]) {
    for (const op of entry.operationTypes) {
      const def = schema.types.get(op.type)
      if (!def) fail(op.position, `Schema root ${op.operation} refers to a type ${op.type} that does not exist.`)
      if (op.operation === 'query') schema.query = def
      else if (op.operation === 'mutation') schema.mutation = def
      else if (op.operation === 'subscription') schema.subscription = def
    }
  }
  for (const name of [...schema.types.keys()].sort()) validateDefinition(schema, schema.types.get(name) as Definition)
  for (const name of [...schema.directives.keys()].sort()) {
    const dir = schema.directives.get(name) as DirectiveDefinition
    validateName(dir.position, dir.name)
    validateArgs(schema, dir.arguments, dir)
  }
  if (ast.schema.length === 0) {
    schema.query ??= schema.types.get('Query')
    schema.mutation ??= schema.types.get('Mutation')
    schema.subscription ??= schema.types.get('Subscription')
  }
  if (schema.query) {
    schema.query.fields = [
      ...schema.query.fields,
      {
        description: '',
        name: '__schema',
        arguments: [],
        defaultValue: undefined,
        type: namedType('__Schema', true),
        directives: [],
        position: undefined,
      },
      {
        description: '',
        name: '__type',
        arguments: [
          {
            description: '',
            name: 'name',
            defaultValue: undefined,
            type: namedType('String', true),
            directives: [],
            position: undefined,
          },
        ],
        defaultValue: undefined,
        type: namedType('__Type'),
        directives: [],
        position: undefined,
      },
    ]
  }
  return schema
}

function kindIn(kind: DefinitionKind, ...kinds: DefinitionKind[]): boolean {
  return kinds.includes(kind)
}

function validateDefinition(schema: Schema, def: Definition): void {
  for (const field of def.fields) {
    validateName(field.position, field.name)
    validateTypeRef(schema, field.type)
    validateArgs(schema, field.arguments, undefined)
    const location = def.kind === 'INPUT_OBJECT' ? 'INPUT_FIELD_DEFINITION' : 'FIELD_DEFINITION'
    validateDirectives(schema, field.directives, location, undefined)
  }
  for (const t of def.types) {
    const member = schema.types.get(t)
    if (!member) fail(def.position, `Undefined type ${goQuote(t)}.`)
    if (member.kind !== 'OBJECT') fail(def.position, `${def.kind} type ${goQuote(t)} must be OBJECT.`)
  }
  for (const intf of def.interfaces) validateImplements(schema, def, intf)
  switch (def.kind) {
    case 'OBJECT':
    case 'INTERFACE':
      if (def.fields.length === 0) fail(def.position, `${def.kind} ${def.name}: must define one or more fields.`)
      for (const field of def.fields) {
        const t = schema.types.get(typeName(field.type))
        if (t && !kindIn(t.kind, 'SCALAR', 'OBJECT', 'INTERFACE', 'UNION', 'ENUM')) {
          fail(field.position, `${def.kind} ${def.name}: field must be one of SCALAR, OBJECT, INTERFACE, UNION, ENUM.`)
        }
      }
      break
    case 'ENUM':
      if (def.enumValues.length === 0)
        fail(def.position, `${def.kind} ${def.name}: must define one or more unique enum values.`)
      for (const value of def.enumValues) {
        if (value.name === 'true' || value.name === 'false' || value.name === 'null') {
          fail(def.position, `${def.kind} ${def.name}: non-enum value ${value.name}.`)
        }
      }
      break
    case 'INPUT_OBJECT':
      if (def.fields.length === 0) fail(def.position, `${def.kind} ${def.name}: must define one or more input fields.`)
      for (const field of def.fields) {
        const t = schema.types.get(typeName(field.type))
        if (t && !kindIn(t.kind, 'SCALAR', 'ENUM', 'INPUT_OBJECT')) {
          fail(field.position, `${t.kind} ${field.name}: field must be one of SCALAR, ENUM, INPUT_OBJECT.`)
        }
      }
      break
    default:
      break
  }
  for (let i = 0; i < def.fields.length; i++) {
    for (const other of def.fields.slice(i + 1)) {
      if (other.name === def.fields[i]?.name)
        fail(other.position, `Field ${def.name}.${other.name} can only be defined once.`)
    }
  }
  if (!def.builtIn) validateName(def.position, def.name)
  validateDirectives(schema, def.directives, def.kind, undefined)
}

function validateTypeRef(schema: Schema, t: GqlType): void {
  if (!schema.types.has(typeName(t))) fail(t.position, `Undefined type ${typeName(t)}.`)
}

function validateArgs(
  schema: Schema,
  args: readonly ArgumentDefinition[],
  current: DirectiveDefinition | undefined,
): void {
  for (const arg of args) {
    validateName(arg.position, arg.name)
    validateTypeRef(schema, arg.type)
    const def = schema.types.get(typeName(arg.type)) as Definition
    if (!kindIn(def.kind, 'SCALAR', 'ENUM', 'INPUT_OBJECT')) {
      fail(
        arg.position,
        `cannot use ${typeString(arg.type)} as argument ${arg.name} because ${def.kind} is not a valid input type`,
      )
    }
    validateDirectives(schema, arg.directives, 'ARGUMENT_DEFINITION', current)
  }
}

function validateDirectives(
  schema: Schema,
  dirs: readonly Directive[],
  location: string,
  current: DirectiveDefinition | undefined,
): void {
  for (const dir of dirs) {
    validateName(dir.position, dir.name)
    if (current && dir.name === current.name) fail(dir.position, `Directive ${current.name} cannot refer to itself.`)
    const def = schema.directives.get(dir.name)
    if (!def) fail(dir.position, `Undefined directive ${dir.name}.`)
    if (!def.locations.includes(location)) fail(dir.position, `Directive ${dir.name} is not applicable on ${location}.`)
    dir.definition = def
  }
}

function validateImplements(schema: Schema, def: Definition, intfName: string): void {
  const intf = schema.types.get(intfName)
  if (!intf) fail(def.position, `Undefined type ${goQuote(intfName)}.`)
  if (intf.kind !== 'INTERFACE') fail(def.position, `${goQuote(intfName)} is a non interface type ${intf.kind}.`)
  for (const required of intf.fields) {
    const found = def.fields.find((f) => f.name === required.name)
    if (!found)
      fail(def.position, `For ${def.name} to implement ${intf.name} it must have a field called ${required.name}.`)
    if (!isCovariant(schema, required.type, found.type)) {
      fail(
        found.position,
        `For ${def.name} to implement ${intf.name} the field ${required.name} must have type ${typeString(required.type)}.`,
      )
    }
    for (const requiredArg of required.arguments) {
      const foundArg = found.arguments.find((a) => a.name === requiredArg.name)
      if (!foundArg) {
        fail(
          found.position,
          `For ${def.name} to implement ${intf.name} the field ${required.name} must have the same arguments but it is missing ${requiredArg.name}.`,
        )
      }
      if (!isCompatible(requiredArg.type, foundArg.type)) {
        fail(
          foundArg.position,
          `For ${def.name} to implement ${intf.name} the field ${required.name} must have the same arguments but ${requiredArg.name} has the wrong type.`,
        )
      }
    }
    for (const foundArg of found.arguments) {
      const declared = required.arguments.some((a) => a.name === foundArg.name)
      if (!declared && foundArg.type.nonNull && !foundArg.defaultValue) {
        fail(
          foundArg.position,
          `For ${def.name} to implement ${intf.name} any additional arguments on ${found.name} must be optional or have a default value but ${foundArg.name} is required.`,
        )
      }
    }
  }
  for (const transitive of intf.interfaces) {
    if (def.interfaces.includes(transitive)) continue
    if (transitive === def.name) {
      fail(def.position, `Type ${def.name} cannot implement ${intfName} because it would create a circular reference.`)
    }
    fail(def.position, `Type ${def.name} must implement ${transitive} because it is implemented by ${intfName}.`)
  }
}

/** gqlparser's Type.IsCompatible. */
export function isCompatible(t: GqlType, other: GqlType): boolean {
  if (t.namedType !== other.namedType) return false
  if (t.elem && !other.elem) return false
  if (t.elem && other.elem && !isCompatible(t.elem, other.elem)) return false
  return other.nonNull ? t.nonNull : true
}

function isCovariant(schema: Schema, required: GqlType, actual: GqlType): boolean {
  if (required.nonNull && !actual.nonNull) return false
  if (required.namedType !== '') {
    if (required.namedType === actual.namedType) return true
    return (schema.possibleTypes.get(required.namedType) ?? []).some((pt) => pt.name === actual.namedType)
  }
  if (required.elem && !actual.elem) return false
  if (!required.elem || !actual.elem) return true
  return isCovariant(schema, required.elem, actual.elem)
}

function validateName(position: Position | undefined, name: string): void {
  if (name.startsWith('__')) {
    fail(position, `Name "${name}" must not begin with "__", which is reserved by GraphQL introspection.`)
  }
}
