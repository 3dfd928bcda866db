import { RegoObject, RegoSet, type Value } from '../../value/value.ts'
import { operandTypeError, setArg } from '../args.ts'
import { builtin, type BuiltinDef } from '../builtin.ts'
import { chargeWork } from '../work.ts'

/** Elements of an array or set, worded `one of {array, set}` as these older builtins do. */
function arrayOrSet(args: readonly Value[]): readonly Value[] {
  const v = args[0] ?? null
  if (Array.isArray(v)) return v
  if (v instanceof RegoSet) return v.values()
  throw operandTypeError(1, ['array', 'set'], v)
}

/** A cast that only accepts values already of the target type. */
function identityCast(name: string, type: string, test: (v: Value) => boolean): BuiltinDef {
  return builtin(
    name,
    1,
    (args) => {
      const v = args[0] ?? null
      if (!test(v)) throw operandTypeError(1, type, v)
      return v
    },
    { deprecated: true },
  )
}

/** Builtins that only Rego v0 has (removed in v1). */
export const deprecatedBuiltins: readonly BuiltinDef[] = [
  builtin('all', 1, (args) => arrayOrSet(args).every((v) => v === true), { deprecated: true }),
  builtin('any', 1, (args) => arrayOrSet(args).some((v) => v === true), { deprecated: true }),
  builtin(
    'set_diff',
    2,
    (args, ctx) => {
      const a = setArg(args, 0)
      const b = setArg(args, 1)
      chargeWork(ctx, a.size)
      const out = new RegoSet()
      for (const v of a.values()) if (!b.has(v)) out.add(v)
      return out
    },
    { deprecated: true },
  ),
  builtin(
    'cast_array',
    1,
    (args, ctx) => {
      const items = arrayOrSet(args)
      chargeWork(ctx, items.length)
      return [...items]
    },
    { deprecated: true },
  ),
  builtin(
    'cast_set',
    1,
    (args, ctx) => {
      const items = arrayOrSet(args)
      chargeWork(ctx, items.length)
      return RegoSet.from(items)
    },
    { deprecated: true },
  ),
  identityCast('cast_string', 'string', (v) => typeof v === 'string'),
  identityCast('cast_boolean', 'boolean', (v) => typeof v === 'boolean'),
  identityCast('cast_null', 'null', (v) => v === null),
  identityCast('cast_object', 'object', (v) => v instanceof RegoObject),
]
