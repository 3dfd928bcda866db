import { RegoObject, type Value } from '../../../value/value.ts'
import type {
  Argument,
  ArgumentDefinition,
  ChildValue,
  Definition,
  Directive,
  DirectiveDefinition,
  EnumValueDefinition,
  FieldDefinition,
  FragmentDefinition,
  GqlType,
  GqlValue,
  OperationDefinition,
  QueryDocument,
  SchemaDefinition,
  SchemaDocument,
  Selection,
  VariableDefinition,
} from './ast.ts'

/**
 * The AST as OPA returns it: gqlparser's structs marshalled to JSON (Go field names), then
 * pruned of `Position`, nulls, and arrays/objects that are empty after pruning. Strings,
 * booleans and numbers stay even when zero-valued (`"Name": ""`, `"Used": false`, `"Kind": 0`).
 * Fields only validation fills in (Definition, ObjectDefinition...) are nil when OPA converts,
 * so they never appear.
 */
type Fields = readonly (readonly [string, Value | undefined])[]

function obj(fields: Fields): RegoObject | undefined {
  const o = new RegoObject()
  for (const [k, v] of fields) if (v !== undefined) o.set(k, v)
  return o.size === 0 ? undefined : o
}

function list<T>(items: readonly T[], convert: (t: T) => Value | undefined): Value[] | undefined {
  const out: Value[] = []
  for (const item of items) {
    const v = convert(item)
    if (v !== undefined) out.push(v)
  }
  return out.length === 0 ? undefined : out
}

function strings(items: readonly string[]): Value[] | undefined {
  return items.length === 0 ? undefined : [...items]
}

function typeValue(t: GqlType | undefined): Value | undefined {
  if (!t) return undefined
  return obj([
    ['NamedType', t.namedType],
    ['Elem', typeValue(t.elem)],
    ['NonNull', t.nonNull],
  ])
}

function valueValue(v: GqlValue | undefined): Value | undefined {
  if (!v) return undefined
  return obj([
    ['Raw', v.raw],
    ['Children', list(v.children, childValue)],
    ['Kind', v.kind],
  ])
}

function childValue(c: ChildValue): Value | undefined {
  return obj([
    ['Name', c.name],
    ['Value', valueValue(c.value)],
  ])
}

function argumentValue(a: Argument): Value | undefined {
  return obj([
    ['Name', a.name],
    ['Value', valueValue(a.value)],
  ])
}

function directiveValue(d: Directive): Value | undefined {
  return obj([
    ['Name', d.name],
    ['Arguments', list(d.arguments, argumentValue)],
    // set by validation, so empty unless the AST came in as an object that had it
    ['Location', d.location],
  ])
}

function variableDefinitionValue(v: VariableDefinition): Value | undefined {
  return obj([
    ['Variable', v.variable],
    ['Type', typeValue(v.type)],
    ['DefaultValue', valueValue(v.defaultValue)],
    ['Directives', list(v.directives, directiveValue)],
    ['Used', v.used],
  ])
}

function selectionValue(s: Selection): Value | undefined {
  switch (s.selection) {
    case 'field':
      return obj([
        ['Alias', s.alias],
        ['Name', s.name],
        ['Arguments', list(s.arguments, argumentValue)],
        ['Directives', list(s.directives, directiveValue)],
        ['SelectionSet', list(s.selectionSet, selectionValue)],
      ])
    case 'spread':
      return obj([
        ['Name', s.name],
        ['Directives', list(s.directives, directiveValue)],
      ])
    case 'inline':
      return obj([
        ['TypeCondition', s.typeCondition],
        ['Directives', list(s.directives, directiveValue)],
        ['SelectionSet', list(s.selectionSet, selectionValue)],
      ])
  }
}

function operationValue(o: OperationDefinition): Value | undefined {
  return obj([
    ['Operation', o.operation],
    ['Name', o.name],
    ['VariableDefinitions', list(o.variableDefinitions, variableDefinitionValue)],
    ['Directives', list(o.directives, directiveValue)],
    ['SelectionSet', list(o.selectionSet, selectionValue)],
  ])
}

function fragmentValue(f: FragmentDefinition): Value | undefined {
  return obj([
    ['Name', f.name],
    ['VariableDefinition', list(f.variableDefinition, variableDefinitionValue)],
    ['TypeCondition', f.typeCondition],
    ['Directives', list(f.directives, directiveValue)],
    ['SelectionSet', list(f.selectionSet, selectionValue)],
  ])
}

export function queryDocumentToValue(doc: QueryDocument): RegoObject {
  return (
    obj([
      ['Operations', list(doc.operations, operationValue)],
      ['Fragments', list(doc.fragments, fragmentValue)],
    ]) ?? new RegoObject()
  )
}

function argumentDefinitionValue(a: ArgumentDefinition): Value | undefined {
  return obj([
    ['Description', a.description],
    ['Name', a.name],
    ['DefaultValue', valueValue(a.defaultValue)],
    ['Type', typeValue(a.type)],
    ['Directives', list(a.directives, directiveValue)],
  ])
}

function fieldDefinitionValue(f: FieldDefinition): Value | undefined {
  return obj([
    ['Description', f.description],
    ['Name', f.name],
    ['Arguments', list(f.arguments, argumentDefinitionValue)],
    ['DefaultValue', valueValue(f.defaultValue)],
    ['Type', typeValue(f.type)],
    ['Directives', list(f.directives, directiveValue)],
  ])
}

function enumValueValue(e: EnumValueDefinition): Value | undefined {
  return obj([
    ['Description', e.description],
    ['Name', e.name],
    ['Directives', list(e.directives, directiveValue)],
  ])
}

function definitionValue(d: Definition): Value | undefined {
  return obj([
    ['Kind', d.kind],
    ['Description', d.description],
    ['Name', d.name],
    ['Directives', list(d.directives, directiveValue)],
    ['Interfaces', strings(d.interfaces)],
    ['Fields', list(d.fields, fieldDefinitionValue)],
    ['Types', strings(d.types)],
    ['EnumValues', list(d.enumValues, enumValueValue)],
    ['BuiltIn', d.builtIn],
  ])
}

function directiveDefinitionValue(d: DirectiveDefinition): Value | undefined {
  return obj([
    ['Description', d.description],
    ['Name', d.name],
    ['Arguments', list(d.arguments, argumentDefinitionValue)],
    ['Locations', strings(d.locations)],
    ['IsRepeatable', d.isRepeatable],
  ])
}

function schemaDefinitionValue(s: SchemaDefinition): Value | undefined {
  return obj([
    ['Description', s.description],
    ['Directives', list(s.directives, directiveValue)],
    [
      'OperationTypes',
      list(s.operationTypes, (o) =>
        obj([
          ['Operation', o.operation],
          ['Type', o.type],
        ]),
      ),
    ],
  ])
}

export function schemaDocumentToValue(doc: SchemaDocument): RegoObject {
  return (
    obj([
      ['Schema', list(doc.schema, schemaDefinitionValue)],
      ['SchemaExtension', list(doc.schemaExtension, schemaDefinitionValue)],
      ['Directives', list(doc.directives, directiveDefinitionValue)],
      ['Definitions', list(doc.definitions, definitionValue)],
      ['Extensions', list(doc.extensions, definitionValue)],
    ]) ?? new RegoObject()
  )
}
