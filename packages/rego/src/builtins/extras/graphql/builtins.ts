import { RegoError } from '../../../errors.ts'
import { RegoObject, type Value } from '../../../value/value.ts'
import { builtinError, operandTypeError, stringArg } from '../../args.ts'
import { builtin, type BuiltinContext, type BuiltinDef } from '../../builtin.ts'
import { chargeWrite } from '../../value-work.ts'
import { chargeWork, WorkMeter } from '../../work.ts'
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

/** Parsing GraphQL goes through the text a character at a time: about a unit of work each. */
function chargeParse(ctx: BuiltinContext, text: string): void {
  chargeWork(ctx, text.length)
}

function parseQueryText(text: string, ctx: BuiltinContext): QueryDocument {
  chargeParse(ctx, text)
  const { doc, err } = parseQueryDocument(text)
  if (err) throw new GraphQLFailure(relocate(err.toString(), 'GraphQL string', false))
  return doc
}

function parseSchemaText(text: string, ctx: BuiltinContext): SchemaDocument {
  chargeParse(ctx, text)
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

function queryOperand(v: Value, pos: number, ctx: BuiltinContext): QueryDocument {
  if (typeof v === 'string') return parseQueryText(v, ctx)
  if (v instanceof RegoObject) {
    chargeWrite(ctx, v)
    return fromObject(v, queryDocumentFromValue)
  }
  throw operandTypeError(pos, ['string', 'object'], v)
}

function schemaOperand(v: Value, pos: number, ctx: BuiltinContext): SchemaDocument {
  if (typeof v === 'string') return parseSchemaText(v, ctx)
  if (v instanceof RegoObject) {
    chargeWrite(ctx, v)
    return fromObject(v, schemaDocumentFromValue)
  }
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

/** Validate, charging the walk and what the rules compare. */
function checkQuery(schema: Schema, doc: QueryDocument, ctx: BuiltinContext): void {
  const meter = new WorkMeter(ctx)
  const errors = validateQuery(schema, doc, meter)
  meter.done()
  if (errors.length === 0) return
  const text = errors.map((e) => e.toString() + '\n').join('')
  throw new GraphQLFailure(relocate(text, 'GraphQL query string', true))
}

/** Parse and verify; the AST values are taken before validation annotates the documents. */
function parseAndVerify(args: readonly Value[], ctx: BuiltinContext): [RegoObject, RegoObject] {
  const query = queryOperand(args[0] ?? null, 0, ctx)
  const schemaDoc = schemaOperand(args[1] ?? null, 1, ctx)
  const queryValue = queryDocumentToValue(query)
  const schemaValue = schemaDocumentToValue(schemaDoc)
  checkQuery(toSchema(schemaDoc), query, ctx)
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

/** Run `f`; any failure, operand types included, gives `fallback` (running out of the evaluation's bounds does not). */
function orElse<T>(f: () => T, fallback: T): T {
  try {
    return f()
  } catch (e) {
    if (e instanceof RegoError) throw e
    return fallback
  }
}

export const graphqlBuiltins: readonly BuiltinDef[] = [
  builtin('graphql.parse', 2, (args, ctx) => reporting(() => parseAndVerify(args, ctx))),
  builtin('graphql.parse_and_verify', 2, (args, ctx) =>
    orElse<Value>(() => [true, ...parseAndVerify(args, ctx)], [false, new RegoObject(), new RegoObject()]),
  ),
  builtin('graphql.parse_query', 1, (args, ctx) =>
    reporting(() => queryDocumentToValue(parseQueryText(stringArg(args, 0), ctx))),
  ),
  builtin('graphql.parse_schema', 1, (args, ctx) =>
    reporting(() => schemaDocumentToValue(parseSchemaText(stringArg(args, 0), ctx))),
  ),
  builtin('graphql.is_valid', 2, (args, ctx) =>
    orElse(() => {
      const query = queryOperand(args[0] ?? null, 0, ctx)
      checkQuery(toSchema(schemaOperand(args[1] ?? null, 1, ctx)), query, ctx)
      return true
    }, false),
  ),
  builtin('graphql.schema_is_valid', 1, (args, ctx) =>
    orElse(() => {
      toSchema(schemaOperand(args[0] ?? null, 0, ctx))
      return true
    }, false),
  ),
]
