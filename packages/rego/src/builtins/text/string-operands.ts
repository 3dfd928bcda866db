import { RegoSet, typeName, type Value } from '../../value/value.ts'
import { operandTypeError, stringArg } from '../args.ts'
import { BuiltinError, type BuiltinContext } from '../builtin.ts'
import { chargeText, chargeWork } from '../work.ts'

/** OPA's NewOperandElementErr: `operand 2 must be array of strings but got array containing number`. */
export function elementTypeError(pos: number, composite: Value, element: Value, expected: string): BuiltinError {
  const tpe = typeName(composite)
  return new BuiltinError(
    'eval_type_error',
    `operand ${pos} must be ${tpe} of ${expected}s but got ${tpe} containing ${typeName(element)}`,
  )
}

/** OPA's StringSliceOperand: the strings of an array or set operand. */
export function stringSliceOperand(v: Value, pos: number): string[] {
  const items = Array.isArray(v) ? v : v instanceof RegoSet ? v.values() : undefined
  if (items === undefined) throw operandTypeError(pos, ['array', 'set'], v)
  return items.map((x) => {
    if (typeof x !== 'string') throw elementTypeError(pos, v, x, 'string')
    return x
  })
}

/** A string, or an array or set of strings (strings.any_prefix_match and friends). */
export function stringsOperand(args: readonly Value[], i: number): string[] {
  const v = args[i] ?? null
  if (typeof v === 'string') return [v]
  if (Array.isArray(v) || v instanceof RegoSet) return stringSliceOperand(v, i + 1)
  throw operandTypeError(i + 1, ['string', 'set', 'array'], v)
}

/**
 * A string operand whose text the builtin goes through (encodings, escapes): charged by its
 * length, as the work is linear in it and a long string is cheap to pass to many calls. A
 * builtin that goes through it a character at a time in JS (decoders) does about a step's work
 * per character: `charWise` charges it so.
 */
export function textOperand(args: readonly Value[], i: number, ctx: BuiltinContext, charWise = false): string {
  const s = stringArg(args, i)
  if (charWise) chargeWork(ctx, s.length)
  else chargeText(ctx, s.length)
  return s
}
