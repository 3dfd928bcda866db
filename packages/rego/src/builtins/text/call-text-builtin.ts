import type { Value } from '../../value/value.ts'
import { BuiltinError, type BuiltinContext } from '../builtin.ts'
import { textBuiltins } from './index.ts'

/** A context for calling text builtins directly (tests, tools): fixed clock and randomness. */
export function textBuiltinContext(random: () => number = () => 0.5): BuiltinContext {
  return { strict: true, nowNs: 0n, random, memo: new Map(), location: undefined }
}

/** Call a text builtin by name, as the evaluator would (without the name prefix on errors). */
export function callText(name: string, args: readonly Value[], ctx = textBuiltinContext()): Value | undefined {
  const def = textBuiltins.find((b) => b.name === name)
  if (!def) throw new BuiltinError('eval_builtin_error', `no text builtin ${name}`)
  return def.fn(args, ctx)
}
