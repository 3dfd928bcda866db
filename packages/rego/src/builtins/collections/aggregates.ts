import { compare } from '../../value/compare.ts'
import { normalizeBig, toBigInt, type RegoNumber } from '../../value/number.ts'
import { codePointLength } from '../../value/string-order.ts'
import { RegoObject, RegoSet, typeName, type Value } from '../../value/value.ts'
import { operandTypeError } from '../args.ts'
import { bitsOf, wordsOfBits } from '../big-integer-work.ts'
import { builtin, BuiltinError, type BuiltinContext, type BuiltinDef } from '../builtin.ts'
import { chargeWork, WorkMeter } from '../work.ts'
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

/** How `sum` or `product` folds its elements. */
interface Fold {
  readonly init: bigint
  readonly exact: (a: bigint, b: bigint) => bigint
  readonly float: (a: number, b: number) => number
  /** Bits the running result may have, from the elements' total and largest sizes and their count. */
  readonly resultBits: (totalBits: number, maxBits: number, count: number) => number
  /** Units one step costs, from the sizes (in words) of the running result and the element. */
  readonly stepCost: (resultWords: number, elementWords: number) => number
}

const SUM: Fold = {
  init: 0n,
  exact: (a, b) => a + b,
  float: (a, b) => a + b,
  resultBits: (_, maxBits, count) => maxBits + Math.log2(count) + 1,
  stepCost: (a, b) => (a + b) / 16,
}

const PRODUCT: Fold = {
  init: 1n,
  exact: (a, b) => a * b,
  float: (a, b) => a * b,
  resultBits: (totalBits) => totalBits,
  stepCost: (a, b) => (a * b) / 16,
}

/**
 * Fold numbers the way OPA does: exactly on integers when every element is an integer,
 * otherwise in floating point. The exact fold charges each step by the size the running result
 * may have reached: products of many elements get huge, and an array repeating one huge
 * integer is cheap to build.
 */
function accumulate(args: readonly Value[], ctx: BuiltinContext, fold: Fold): RegoNumber {
  const items = setOrArray(args, 0)
  const nums = numbersOf(args[0] ?? null, items)
  const ints = nums.map(toBigInt)
  if (!ints.every((b) => b !== undefined)) {
    return numberResult(nums.reduce<number>((acc, n) => fold.float(acc, Number(n)), Number(fold.init)))
  }
  const meter = new WorkMeter(ctx)
  let acc = fold.init
  let totalBits = 0
  let maxBits = 0
  for (let i = 0; i < ints.length; i++) {
    const elementBits = bitsOf(nums[i] as RegoNumber)
    const elementWords = wordsOfBits(elementBits)
    totalBits += elementBits
    maxBits = Math.max(maxBits, elementBits)
    meter.add(fold.stepCost(wordsOfBits(fold.resultBits(totalBits, maxBits, i + 1)), elementWords))
    acc = fold.exact(acc, ints[i] as bigint)
  }
  meter.done()
  return normalizeBig(acc)
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
  builtin('sum', 1, (args, ctx) => accumulate(args, ctx, SUM)),
  builtin('product', 1, (args, ctx) => accumulate(args, ctx, PRODUCT)),
  builtin('max', 1, (args) => extreme(args, (c) => c > 0)),
  builtin('min', 1, (args) => extreme(args, (c) => c < 0)),
  builtin('sort', 1, (args, ctx) => {
    const v = args[0] ?? null
    const items = setOrArray(args, 0)
    chargeWork(ctx, items.length)
    if (v instanceof RegoSet) return [...items]
    return [...items].sort(compare)
  }),
]
