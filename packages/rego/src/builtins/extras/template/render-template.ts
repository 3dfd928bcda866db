import { formatNumber } from '../../../value/number.ts'
import { toJsonText } from '../../../value/json.ts'
import { RegoSet, type Value } from '../../../value/value.ts'
import { builtinError, objectArg, stringArg } from '../../args.ts'
import { decimalUnits } from '../../big-integer-work.ts'
import { builtin, type BuiltinContext, type BuiltinDef } from '../../builtin.ts'
import { writeUnits } from '../../value-work.ts'
import { WorkMeter } from '../../work.ts'
import { executeTemplate, JsonNumber, type GoValue } from './template-exec.ts'
import { parseTemplate, TemplateError } from './template-parser.ts'

/**
 * The template variables as Go sees them after OPA's JSON round trip: a copy, node by node
 * (counted: a value sharing a subtree in many places is copied in full each time).
 */
function toGo(v: Value, meter: WorkMeter): GoValue {
  meter.add(1)
  if (v === null || typeof v === 'boolean') return v
  if (typeof v === 'string') {
    meter.addText(v.length)
    return v
  }
  if (typeof v === 'number' || typeof v === 'bigint') {
    meter.add(decimalUnits(v))
    return new JsonNumber(formatNumber(v))
  }
  if (Array.isArray(v)) return v.map((x) => toGo(x, meter))
  if (v instanceof RegoSet) return v.values().map((x) => toGo(x, meter))
  const m = new Map<string, GoValue>()
  for (const [k, val] of v.entries()) m.set(typeof k === 'string' ? k : goJsonKey(k, meter), toGo(val, meter))
  return m
}

/** A non-string key as its JSON text, charged like the values. */
function goJsonKey(k: Value, meter: WorkMeter): string {
  meter.add(writeUnits(k))
  return toJsonText(k)
}

function render(args: readonly Value[], ctx: BuiltinContext): string {
  const source = stringArg(args, 0)
  const vars = objectArg(args, 1)
  const meter = new WorkMeter(ctx)
  try {
    const text = executeTemplate(parseTemplate(source), toGo(vars, meter), meter)
    meter.done()
    return text
  } catch (e) {
    if (e instanceof TemplateError) throw builtinError(e.message)
    throw e
  }
}

export const renderTemplateBuiltins: readonly BuiltinDef[] = [
  builtin('strings.render_template', 2, (args, ctx) => render(args, ctx)),
]
