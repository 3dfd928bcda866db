import { formatNumber } from '../../../value/number.ts'
import { toJsonText } from '../../../value/json.ts'
import { RegoSet, type Value } from '../../../value/value.ts'
import { builtinError, objectArg, stringArg } from '../../args.ts'
import { builtin, type BuiltinDef } from '../../builtin.ts'
import { executeTemplate, JsonNumber, type GoValue } from './template-exec.ts'
import { parseTemplate, TemplateError } from './template-parser.ts'

/** The template variables as Go sees them after OPA's JSON round trip. */
function toGo(v: Value): GoValue {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'bigint') return new JsonNumber(formatNumber(v))
  if (Array.isArray(v)) return v.map(toGo)
  if (v instanceof RegoSet) return v.values().map(toGo)
  const m = new Map<string, GoValue>()
  for (const [k, val] of v.entries()) m.set(typeof k === 'string' ? k : toJsonText(k), toGo(val))
  return m
}

function render(args: readonly Value[]): string {
  const source = stringArg(args, 0)
  const vars = objectArg(args, 1)
  try {
    return executeTemplate(parseTemplate(source), toGo(vars))
  } catch (e) {
    if (e instanceof TemplateError) throw builtinError(e.message)
    throw e
  }
}

export const renderTemplateBuiltins: readonly BuiltinDef[] = [
  builtin('strings.render_template', 2, (args) => render(args)),
]
