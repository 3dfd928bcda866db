import { RegoObject, type Value } from '../../../value/value.ts'
import { builtinError, operandTypeError, stringArg } from '../../args.ts'
import { builtin, type BuiltinDef } from '../../builtin.ts'
import { GqlError, type QueryDocument, type Schema, type SchemaDocument } from './ast.ts'
import { AstShapeError, queryDocumentFromValue, schemaDocumentFromValue } from './from-value.ts'
import { parseQueryDocument } from './parser.ts'
import { buildSchema } from './schema.ts'
import { parseSchemaDocument } from './schema-parser.ts'
import { queryDocumentToValue, schemaDocumentToValue } from './to-value.ts'
import { validateQuery } from './validate.ts'

/**
 * OPA rewrites gqlparser's `input:line:col: message` into `message in GraphQL ... at location
 * line:col` by splitting on the first three colons (so with several errors, every error after
 * the first stays inside the message, as in OPA).
 */
function relocate(errorText: string, where: string, trimPeriod: boolean): string {
  const parts = errorText.split(':')
  const line = parts[1] ?? ''
  const col = parts[2] ?? ''
  let msg = parts.slice(3).join(':').replace(/^ +/, '')
  if (trimPeriod && msg.endsWith('.\n')) msg = msg.slice(0, -2)
  return `${msg} in ${where} at location ${line}:${col}`
}

class GraphQLFailure extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'GraphQLFailure'
  }
}

function parseQueryText(text: string): QueryDocument {
  const { doc, err } = parseQueryDocument(text)
  if (err) throw new GraphQLFailure(relocate(err.toString(), 'GraphQL string', false))
  return doc
}

function parseSchemaText(text: string): SchemaDocument {
  const { doc, err } = parseSchemaDocument(text)
  if (err) throw new GraphQLFailure(relocate(err.toString(), 'GraphQL string', false))
  return doc
}

function fromObject<T>(v: Value, read: (v: Value) => T): T {
  try {
    return read(v)
  } catch (e) {
    if (e instanceof AstShapeError) throw new GraphQLFailure(e.message)
    throw e
  }
}

function queryOperand(v: Value, pos: number): QueryDocument {
  if (typeof v === 'string') return parseQueryText(v)
  if (v instanceof RegoObject) return fromObject(v, queryDocumentFromValue)
  throw operandTypeError(pos, ['string', 'object'], v)
}

function schemaOperand(v: Value, pos: number): SchemaDocument {
  if (typeof v === 'string') return parseSchemaText(v)
  if (v instanceof RegoObject) return fromObject(v, schemaDocumentFromValue)
  throw operandTypeError(pos, ['string', 'object'], v)
}

function toSchema(doc: SchemaDocument): Schema {
  try {
    return buildSchema(doc)
  } catch (e) {
    if (e instanceof GqlError) {
      throw new GraphQLFailure(`Error in gqlparser SchemaDocument to Schema conversion: ${e.toString()}`)
    }
    throw e
  }
}

function checkQuery(schema: Schema, doc: QueryDocument): void {
  const errors = validateQuery(schema, doc)
  if (errors.length === 0) return
  const text = errors.map((e) => e.toString() + '\n').join('')
  throw new GraphQLFailure(relocate(text, 'GraphQL query string', true))
}

/** Parse and verify; the AST values are taken before validation annotates the documents. */
function parseAndVerify(args: readonly Value[]): [RegoObject, RegoObject] {
  const query = queryOperand(args[0] ?? null, 0)
  const schemaDoc = schemaOperand(args[1] ?? null, 1)
  const queryValue = queryDocumentToValue(query)
  const schemaValue = schemaDocumentToValue(schemaDoc)
  checkQuery(toSchema(schemaDoc), query)
  return [queryValue, schemaValue]
}

/** Run `f`, turning GraphQL failures into builtin errors. */
function reporting<T>(f: () => T): T {
  try {
    return f()
  } catch (e) {
    if (e instanceof GraphQLFailure) throw builtinError(e.message)
    throw e
  }
}

/** Run `f`; any failure, operand types included, gives `fallback`. */
function orElse<T>(f: () => T, fallback: T): T {
  try {
    return f()
  } catch {
    return fallback
  }
}

export const graphqlBuiltins: readonly BuiltinDef[] = [
  builtin('graphql.parse', 2, (args) => reporting(() => parseAndVerify(args))),
  builtin('graphql.parse_and_verify', 2, (args) =>
    orElse<Value>(() => [true, ...parseAndVerify(args)], [false, new RegoObject(), new RegoObject()]),
  ),
  builtin('graphql.parse_query', 1, (args) =>
    reporting(() => queryDocumentToValue(parseQueryText(stringArg(args, 0)))),
  ),
  builtin('graphql.parse_schema', 1, (args) =>
    reporting(() => schemaDocumentToValue(parseSchemaText(stringArg(args, 0)))),
  ),
  builtin('graphql.is_valid', 2, (args) =>
    orElse(() => {
      const query = queryOperand(args[0] ?? null, 0)
      checkQuery(toSchema(schemaOperand(args[1] ?? null, 1)), query)
      return true
    }, false),
  ),
  builtin('graphql.schema_is_valid', 1, (args) =>
    orElse(() => {
      toSchema(schemaOperand(args[0] ?? null, 0))
      return true
    }, false),
  ),
]
