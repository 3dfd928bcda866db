import { RegoSet, typeName, type Value } from '../../value/value.ts'
import { operandTypeError } from '../args.ts'
import { BuiltinError } from '../builtin.ts'

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
