import { normalizeBig, type RegoNumber } from '../../value/number.ts'
import { builtinError } from '../args.ts'

/**
 * A computed double as a Rego number: `-0` becomes `0`, integral values beyond 2^53 become
 * bigint (the value model's invariant). OPA computes with unbounded exponents, so a result a
 * double cannot hold is an error here rather than Infinity.
 */
export function numberResult(x: number): RegoNumber {
  if (!Number.isFinite(x)) throw builtinError('number out of range')
  if (x === 0) return 0
  if (Number.isInteger(x) && !Number.isSafeInteger(x)) return normalizeBig(BigInt(x))
  return x
}

/** Normalize any number result: bigints back to numbers when they fit, doubles as above. */
export function normalizeNumber(n: RegoNumber): RegoNumber {
  return typeof n === 'bigint' ? normalizeBig(n) : numberResult(n)
}
