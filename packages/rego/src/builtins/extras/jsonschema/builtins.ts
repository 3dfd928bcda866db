import { parseJson } from '../../../value/json.ts'
import { RegoObject, type Value } from '../../../value/value.ts'
import { builtinError } from '../../args.ts'
import { builtin, type BuiltinContext, type BuiltinDef } from '../../builtin.ts'
import { chargeText, WorkMeter } from '../../work.ts'
import { compileSchema } from './compile.ts'
import { SchemaError, type SubSchema } from './schema-node.ts'
import { validateDocument } from './validate.ts'

/** json.verify_schema and json.match_schema, with OPA's result shapes (OPA uses gojsonschema). */

class LoadError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LoadError'
  }
}

/** A document or schema operand: JSON text (charged by its length), or an object/array value. */
function load(v: Value, ctx: BuiltinContext): Value {
  if (typeof v === 'string') {
    chargeText(ctx, v.length)
    try {
      return parseJson(v)
    } catch {
      throw new LoadError('invalid JSON string')
    }
  }
  if (v instanceof RegoObject || Array.isArray(v)) return v
  throw new LoadError('wrong type, expected string or object')
}

/** Compiled schemas by their canonical text, as OPA caches them across calls. */
const cache = new Map<string, SubSchema>()
const CACHE_LIMIT = 100

function compileCached(schemaValue: Value, raw: Value): SubSchema {
  const key = typeof raw === 'string' ? 's' + raw : undefined
  const hit = key === undefined ? undefined : cache.get(key)
  if (hit) return hit
  const compiled = compileSchema(schemaValue)
  if (key !== undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear()
    cache.set(key, compiled)
  }
  return compiled
}

function messageOf(e: unknown): string | undefined {
  return e instanceof LoadError || e instanceof SchemaError ? e.message : undefined
}

function verifySchema(args: readonly Value[], ctx: BuiltinContext): Value {
  try {
    const raw = args[0] ?? null
    compileCached(load(raw, ctx), raw)
    return [true, null]
  } catch (e) {
    const message = messageOf(e)
    if (message === undefined) throw e
    return [false, 'jsonschema: ' + message]
  }
}

function matchSchema(args: readonly Value[], ctx: BuiltinContext): Value {
  try {
    const document = load(args[0] ?? null, ctx)
    const raw = args[1] ?? null
    const schema = compileCached(load(raw, ctx), raw)
    const meter = new WorkMeter(ctx)
    const violations = validateDocument(schema, document, meter)
    meter.done()
    const errors = violations.map((v) =>
      RegoObject.from([
        ['error', `${v.field}: ${v.description}`],
        ['type', v.type],
        ['field', v.field],
        ['desc', v.description],
      ]),
    )
    return [violations.length === 0, errors]
  } catch (e) {
    const message = messageOf(e)
    if (message === undefined) throw e
    throw builtinError(message)
  }
}

export const jsonSchemaBuiltins: readonly BuiltinDef[] = [
  builtin('json.verify_schema', 1, (args, ctx) => verifySchema(args, ctx)),
  builtin('json.match_schema', 2, (args, ctx) => matchSchema(args, ctx)),
]
