import { RegoObject, RegoSet, typeName, type Value } from '../value/value.ts'
import { toBigInt } from '../value/number.ts'
import { BuiltinError } from './builtin.ts'

/**
 * Operand checks with OPA's wording, e.g. `operand 1 must be string but got number` or
 * `operand 2 must be one of {set, array} but got object`. Positions are 1-based.
 */
export function operandTypeError(pos: number, expected: string | readonly string[], got: Value): BuiltinError {
  const want = typeof expected === 'string' ? expected : `one of {${expected.join(', ')}}`
  return new BuiltinError('eval_type_error', `operand ${pos} must be ${want} but got ${typeName(got)}`)
}

function arg(args: readonly Value[], i: number): Value {
  const v = args[i]
  if (v === undefined) throw new BuiltinError('eval_builtin_error', `missing operand ${i + 1}`)
  return v
}

export function stringArg(args: readonly Value[], i: number): string {
  const v = arg(args, i)
  if (typeof v !== 'string') throw operandTypeError(i + 1, 'string', v)
  return v
}

export function numberArg(args: readonly Value[], i: number): number | bigint {
  const v = arg(args, i)
  if (typeof v !== 'number' && typeof v !== 'bigint') throw operandTypeError(i + 1, 'number', v)
  return v
}

/** An integer operand as bigint; `message` overrides OPA's per-builtin wording for fractions. */
export function integerArg(args: readonly Value[], i: number, message?: string): bigint {
  const n = numberArg(args, i)
  const b = toBigInt(n)
  if (b === undefined) {
    throw new BuiltinError(
      'eval_type_error',
      message ?? `operand ${i + 1} must be integer number but got floating-point number`,
    )
  }
  return b
}

export function booleanArg(args: readonly Value[], i: number): boolean {
  const v = arg(args, i)
  if (typeof v !== 'boolean') throw operandTypeError(i + 1, 'boolean', v)
  return v
}

export function arrayArg(args: readonly Value[], i: number): Value[] {
  const v = arg(args, i)
  if (!Array.isArray(v)) throw operandTypeError(i + 1, 'array', v)
  return v
}

export function objectArg(args: readonly Value[], i: number): RegoObject {
  const v = arg(args, i)
  if (!(v instanceof RegoObject)) throw operandTypeError(i + 1, 'object', v)
  return v
}

export function setArg(args: readonly Value[], i: number): RegoSet {
  const v = arg(args, i)
  if (!(v instanceof RegoSet)) throw operandTypeError(i + 1, 'set', v)
  return v
}

/** Elements of an array or set operand (sets in OPA order). */
export function collectionArg(args: readonly Value[], i: number): readonly Value[] {
  const v = arg(args, i)
  if (Array.isArray(v)) return v
  if (v instanceof RegoSet) return v.values()
  throw operandTypeError(i + 1, ['set', 'array'], v)
}

export function builtinError(message: string): BuiltinError {
  return new BuiltinError('eval_builtin_error', message)
}
