import {
  emptyDefinition,
  type ArgumentDefinition,
  type Definition,
  type DefinitionKind,
  type DirectiveDefinition,
  type EnumValueDefinition,
  type FieldDefinition,
  type GqlError,
  type SchemaDefinition,
  type SchemaDocument,
} from './ast.ts'
import { Parser } from './parser.ts'

const DIRECTIVE_LOCATIONS = new Set([
  'QUERY',
  'MUTATION',
  'SUBSCRIPTION',
  'FIELD',
  'FRAGMENT_DEFINITION',
  'FRAGMENT_SPREAD',
  'INLINE_FRAGMENT',
  'VARIABLE_DEFINITION',
  'SCHEMA',
  'SCALAR',
  'OBJECT',
  'FIELD_DEFINITION',
  'ARGUMENT_DEFINITION',
  'INTERFACE',
  'UNION',
  'ENUM',
  'ENUM_VALUE',
  'INPUT_OBJECT',
  'INPUT_FIELD_DEFINITION',
])

const TYPE_KEYWORDS: Record<string, DefinitionKind> = {
  scalar: 'SCALAR',
  type: 'OBJECT',
  interface: 'INTERFACE',
  union: 'UNION',
  enum: 'ENUM',
  input: 'INPUT_OBJECT',
}

export function emptySchemaDocument(): SchemaDocument {
  return { schema: [], schemaExtension: [], directives: [], definitions: [], extensions: [] }
}

/** Parse a GraphQL schema document (gqlparser's ParseSchema). */
export function parseSchemaDocument(
  input: string,
  builtIn = false,
): { doc: SchemaDocument; err: GqlError | undefined } {
  const p = new Parser(input)
  const doc = emptySchemaDocument()
  while (p.peek().kind !== 'EOF') {
    if (p.err) break
    let description = ''
    const first = p.peek()
    if (first.kind === 'BlockString' || first.kind === 'String') description = p.next().value
    const tok = p.peek()
    if (tok.kind !== 'Name') {
      p.unexpectedError()
      break
    }
    const kind = TYPE_KEYWORDS[tok.value]
    if (kind) {
      doc.definitions.push(parseTypeDefinition(p, kind, tok.value, description))
    } else if (tok.value === 'schema') {
      doc.schema.push(parseSchemaDefinition(p, description))
    } else if (tok.value === 'directive') {
      doc.directives.push(parseDirectiveDefinition(p, description))
    } else if (tok.value === 'extend') {
      if (description !== '') p.unexpectedToken(p.prev)
      parseExtension(p, doc)
    } else {
      p.unexpectedError()
      break
    }
  }
  for (const d of doc.definitions) d.builtIn = builtIn
  for (const d of doc.extensions) d.builtIn = builtIn
  return { doc, err: p.err }
}

function parseDescription(p: Parser): string {
  const tok = p.peek()
  return tok.kind === 'BlockString' || tok.kind === 'String' ? p.next().value : ''
}

function parseSchemaDefinition(p: Parser, description: string): SchemaDefinition {
  p.expectKeyword('schema')
  const position = p.peekPos()
  const def: SchemaDefinition = { description, directives: p.parseDirectives(true), operationTypes: [], position }
  parseOperationTypes(p, def)
  return def
}

function parseOperationTypes(p: Parser, def: SchemaDefinition): void {
  p.some('BraceL', 'BraceR', () => {
    const position = p.peekPos()
    const operation = p.parseOperationType()
    p.expect('Colon')
    def.operationTypes.push({ operation, type: p.parseName(), position })
  })
}

/** A type definition (`scalar`, `type`, `interface`, `union`, `enum`, `input`). */
function parseTypeDefinition(p: Parser, kind: DefinitionKind, keyword: string, description: string): Definition {
  p.expectKeyword(keyword)
  const def = emptyDefinition(kind, '', p.peekPos())
  def.description = description
  def.name = p.parseName()
  parseTypeBody(p, def)
  return def
}

function parseTypeBody(p: Parser, def: Definition): void {
  switch (def.kind) {
    case 'SCALAR':
      def.directives = p.parseDirectives(true)
      break
    case 'OBJECT':
    case 'INTERFACE':
      def.interfaces = parseImplementsInterfaces(p)
      def.directives = p.parseDirectives(true)
      def.fields = parseFieldsDefinition(p)
      break
    case 'UNION':
      def.directives = p.parseDirectives(true)
      def.types = parseUnionMemberTypes(p)
      break
    case 'ENUM':
      def.directives = p.parseDirectives(true)
      def.enumValues = parseEnumValues(p)
      break
    case 'INPUT_OBJECT':
      def.directives = p.parseDirectives(true)
      def.fields = parseInputFields(p)
      break
  }
}

function parseImplementsInterfaces(p: Parser): string[] {
  const types: string[] = []
  if (p.peek().value === 'implements') {
    p.next()
    p.skip('Amp')
    types.push(p.parseName())
    while (p.skip('Amp') && !p.err) types.push(p.parseName())
  }
  return types
}

function parseFieldsDefinition(p: Parser): FieldDefinition[] {
  const defs: FieldDefinition[] = []
  p.some('BraceL', 'BraceR', () => {
    const position = p.peekPos()
    const description = parseDescription(p)
    const name = p.parseName()
    const args = parseArgumentDefs(p)
    p.expect('Colon')
    const type = p.parseTypeReference()
    const directives = p.parseDirectives(true)
    defs.push({ description, name, arguments: args, defaultValue: undefined, type, directives, position })
  })
  return defs
}

function parseArgumentDefs(p: Parser): ArgumentDefinition[] {
  const args: ArgumentDefinition[] = []
  p.some('ParenL', 'ParenR', () => {
    const position = p.peekPos()
    const description = parseDescription(p)
    const name = p.parseName()
    p.expect('Colon')
    const type = p.parseTypeReference()
    const defaultValue = p.skip('Equals') ? p.parseValueLiteral(true) : undefined
    args.push({ description, name, defaultValue, type, directives: p.parseDirectives(true), position })
  })
  return args
}

function parseInputFields(p: Parser): FieldDefinition[] {
  const defs: FieldDefinition[] = []
  p.some('BraceL', 'BraceR', () => {
    const position = p.peekPos()
    const description = parseDescription(p)
    const name = p.parseName()
    p.expect('Colon')
    const type = p.parseTypeReference()
    const defaultValue = p.skip('Equals') ? p.parseValueLiteral(true) : undefined
    defs.push({ description, name, arguments: [], defaultValue, type, directives: p.parseDirectives(true), position })
  })
  return defs
}

function parseUnionMemberTypes(p: Parser): string[] {
  const types: string[] = []
  if (p.skip('Equals')) {
    p.skip('Pipe')
    types.push(p.parseName())
    while (p.skip('Pipe') && !p.err) types.push(p.parseName())
  }
  return types
}

function parseEnumValues(p: Parser): EnumValueDefinition[] {
  const values: EnumValueDefinition[] = []
  p.some('BraceL', 'BraceR', () => {
    const position = p.peekPos()
    const description = parseDescription(p)
    const name = p.parseName()
    values.push({ description, name, directives: p.parseDirectives(true), position })
  })
  return values
}

function parseExtension(p: Parser, doc: SchemaDocument): void {
  p.expectKeyword('extend')
  const keyword = p.peek().value
  if (keyword === 'schema') {
    p.expectKeyword('schema')
    const def: SchemaDefinition = { description: '', directives: [], operationTypes: [], position: p.peekPos() }
    def.directives = p.parseDirectives(true)
    parseOperationTypes(p, def)
    if (def.directives.length === 0 && def.operationTypes.length === 0) p.unexpectedError()
    doc.schemaExtension.push(def)
    return
  }
  const kind = TYPE_KEYWORDS[keyword]
  if (!kind) {
    p.unexpectedError()
    return
  }
  p.expectKeyword(keyword)
  const def = emptyDefinition(kind, '', p.peekPos())
  def.name = p.parseName()
  if (kind === 'INTERFACE') {
    // gqlparser's interface extensions take no `implements` clause
    def.directives = p.parseDirectives(true)
    def.fields = parseFieldsDefinition(p)
  } else {
    parseTypeBody(p, def)
  }
  const empty =
    def.interfaces.length === 0 &&
    def.directives.length === 0 &&
    def.fields.length === 0 &&
    def.types.length === 0 &&
    def.enumValues.length === 0
  if (empty) p.unexpectedError()
  doc.extensions.push(def)
}

function parseDirectiveDefinition(p: Parser, description: string): DirectiveDefinition {
  p.expectKeyword('directive')
  p.expect('At')
  const position = p.peekPos()
  const name = p.parseName()
  const args = parseArgumentDefs(p)
  let isRepeatable = false
  const peek = p.peek()
  if (peek.kind === 'Name' && peek.value === 'repeatable') {
    isRepeatable = true
    p.skip('Name')
  }
  p.expectKeyword('on')
  p.skip('Pipe')
  const locations = [parseDirectiveLocation(p)]
  while (p.skip('Pipe') && !p.err) locations.push(parseDirectiveLocation(p))
  return { description, name, arguments: args, locations, isRepeatable, position }
}

function parseDirectiveLocation(p: Parser): string {
  const tok = p.expect('Name')
  if (DIRECTIVE_LOCATIONS.has(tok.value)) return tok.value
  p.unexpectedToken(tok)
  return ''
}
