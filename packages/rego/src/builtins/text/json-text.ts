import { toRegoText } from '../../value/rego-text.ts'
import { RegoObject, typeName, type Value } from '../../value/value.ts'
import { builtinError, operandTypeError, stringArg } from '../args.ts'
import { builtin, BuiltinError, type BuiltinContext, type BuiltinDef } from '../builtin.ts'
import { chargeText, chargeWork, WorkMeter } from '../work.ts'
import { goJsonText, type JsonLayout } from './go-json.ts'
import { goQuote } from './go-quote.ts'
import { checkJsonDocument, isValidJson } from './go-json-syntax.ts'
import { jsonValue } from './json-value.ts'

function optionError(message: string): BuiltinError {
  return new BuiltinError('eval_type_error', `operand 2 ${message}`)
}

/** json.marshal_with_options: `pretty`, `indent` (default tab) and `prefix` keys. */
function marshalWithOptions(args: readonly Value[], ctx: BuiltinContext): string {
  const value = args[0] ?? null
  const opts = args[1] ?? null
  if (!(opts instanceof RegoObject)) throw operandTypeError(2, 'object', opts)
  let indent = '\t'
  let prefix = ''
  let implicitPretty = false
  let explicitPretty: boolean | undefined
  opts.entries().forEach(([k, v], idx) => {
    if (typeof k !== 'string') {
      throw optionError(
        `failed to stringify key ${toRegoText(k)} at index ${idx}: operand ${idx} must be string but got ${typeName(k)}`,
      )
    }
    switch (k) {
      case 'prefix':
      case 'indent':
        if (typeof v !== 'string')
          throw optionError(
            `key ${goQuote(k)} failed cast to string: operand ${idx} must be string but got ${typeName(v)}`,
          )
        if (k === 'prefix') prefix = v
        else indent = v
        implicitPretty = true
        break
      case 'pretty':
        if (typeof v !== 'boolean') throw optionError(`key ${goQuote(k)} failed cast to bool`)
        explicitPretty = v
        break
      default:
        throw optionError(`object contained unknown key ${goQuote(k)}`)
    }
  })
  const pretty = explicitPretty ?? implicitPretty
  return marshal(value, ctx, pretty ? { prefix, indent } : undefined)
}

/** JSON text, charged as it is written. */
function marshal(value: Value, ctx: BuiltinContext, layout?: JsonLayout): string {
  const meter = new WorkMeter(ctx)
  const text = layout ? layout.prefix + goJsonText(value, layout, meter) : goJsonText(value, undefined, meter)
  meter.done()
  return text
}

/**
 * json.unmarshal: Go's decoder messages for bad input, exact integers for good input. The
 * values to build (and huge integers to read) are charged before they are built.
 */
export function unmarshalJson(text: string, ctx: BuiltinContext): Value {
  const { error, end, units } = checkJsonDocument(text)
  if (error !== undefined) throw builtinError(error)
  chargeText(ctx, end)
  chargeWork(ctx, units)
  return jsonValue(text.slice(0, end))
}

export const jsonBuiltins: readonly BuiltinDef[] = [
  builtin('json.marshal', 1, (args, ctx) => marshal(args[0] ?? null, ctx)),
  builtin('json.marshal_with_options', 2, marshalWithOptions),
  builtin('json.unmarshal', 1, (args, ctx) => unmarshalJson(stringArg(args, 0), ctx)),
  builtin('json.is_valid', 1, (args, ctx) => {
    const s = args[0]
    if (typeof s !== 'string') return false
    chargeText(ctx, s.length)
    return isValidJson(s)
  }),
]
