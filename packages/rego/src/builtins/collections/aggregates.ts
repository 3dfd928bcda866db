import { compare } from '../../value/compare.ts'
import { normalizeBig, toBigInt, type RegoNumber } from '../../value/number.ts'
import { codePointLength } from '../../value/string-order.ts'
import { RegoObject, RegoSet, typeName, type Value } from '../../value/value.ts'
import { operandTypeError } from '../args.ts'
import { builtin, BuiltinError, type BuiltinDef } from '../builtin.ts'
import { numberResult } from './number-result.ts'

/** Elements of a set or array operand, with OPA's `one of {set, array}` wording. */
export function setOrArray(args: readonly Value[], i: number): readonly Value[] {
  const v = args[i] ?? null
  if (Array.isArray(v)) return v
  if (v instanceof RegoSet) return v.values()
  throw operandTypeError(i + 1, ['set', 'array'], v)
}

function numbersOf(coll: Value, items: readonly Value[]): RegoNumber[] {
  return items.map((x) => {
    if (typeof x === 'number' || typeof x === 'bigint') return x
    const t = typeName(coll)
    throw new BuiltinError(
      'eval_type_error',
      `operand 1 must be ${t} of numbers but got ${t} containing ${typeName(x)}`,
    )
  })
}

/**
 * Fold numbers the way OPA does: exactly on integers when every element is an integer,
 * otherwise in floating point.
 */
function accumulate(
  args: readonly Value[],
  init: bigint,
  exact: (a: bigint, b: bigint) => bigint,
  float: (a: number, b: number) => number,
): RegoNumber {
  const items = setOrArray(args, 0)
  const nums = numbersOf(args[0] ?? null, items)
  const ints = nums.map(toBigInt)
  if (ints.every((b) => b !== undefined)) return normalizeBig(ints.reduce<bigint>((acc, b) => exact(acc, b), init))
  return numberResult(nums.reduce<number>((acc, n) => float(acc, Number(n)), Number(init)))
}

function count(args: readonly Value[]): number {
  const v = args[0] ?? null
  if (Array.isArray(v)) return v.length
  if (v instanceof RegoObject || v instanceof RegoSet) return v.size
  if (typeof v === 'string') return codePointLength(v)
  throw operandTypeError(1, ['array', 'object', 'set', 'string'], v)
}

function extreme(args: readonly Value[], better: (c: number) => boolean): Value | undefined {
  const items = setOrArray(args, 0)
  let best: Value | undefined
  for (const x of items) if (best === undefined || better(compare(x, best))) best = x
  return best
}

export const aggregateBuiltins: readonly BuiltinDef[] = [
  builtin('count', 1, count),
  builtin('sum', 1, (args) =>
    accumulate(
      args,
      0n,
      (a, b) => a + b,
      (a, b) => a + b,
    ),
  ),
  builtin('product', 1, (args) =>
    accumulate(
      args,
      1n,
      (a, b) => a * b,
      (a, b) => a * b,
    ),
  ),
  builtin('max', 1, (args) => extreme(args, (c) => c > 0)),
  builtin('min', 1, (args) => extreme(args, (c) => c < 0)),
  builtin('sort', 1, (args) => {
    const v = args[0] ?? null
    if (v instanceof RegoSet) return [...v.values()]
    return [...setOrArray(args, 0)].sort(compare)
  }),
]
