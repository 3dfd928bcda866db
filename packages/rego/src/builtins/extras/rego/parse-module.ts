import { RegoError } from '../../../errors.ts'
import { parseModule } from '../../../parser/index.ts'
import type { Value } from '../../../value/value.ts'
import { builtinError, stringArg } from '../../args.ts'
import { builtin, type BuiltinContext, type BuiltinDef } from '../../builtin.ts'
import { chargeWork } from '../../work.ts'
import { moduleValue } from './module-value.ts'

/** rego.parse_module(filename, text): the module's AST as OPA marshals it (parsed as Rego v1). */
function parse(args: readonly Value[], ctx: BuiltinContext): Value {
  const file = stringArg(args, 0)
  const text = stringArg(args, 1)
  // The parser and the AST's value go through the text about a character at a time.
  chargeWork(ctx, text.length)
  try {
    return moduleValue(parseModule(file, text))
  } catch (e) {
    if (!(e instanceof RegoError)) throw e
    // OPA returns its ast.Errors list, which prints a count before a single error too.
    const text = e.errors.length === 1 ? `1 error occurred: ${e.formatOne()}` : e.toString()
    throw builtinError(text)
  }
}

export const regoBuiltins: readonly BuiltinDef[] = [builtin('rego.parse_module', 2, (args, ctx) => parse(args, ctx))]
