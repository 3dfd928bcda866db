import assert from 'node:assert/strict'
import type { CompileOptions, EvalOptions } from '../api.ts'
import { compile } from '../engine.ts'
import { RegoError } from '../errors.ts'
import type { Value } from '../value/value.ts'
import type { BuiltinContext } from './builtin.ts'

/**
 * Support for the tests that huge builtin requests stop at the evaluation's bounds: evaluate
 * rule `p` of a one-module policy (package t) under a small step bound.
 */

/** The step bound these tests evaluate under. */
export const TEST_MAX_STEPS = 100_000

export function evalBounded(
  rules: string,
  options: EvalOptions = {},
  compileOptions: CompileOptions = {},
): Value | undefined {
  return compile([{ name: 't.rego', text: `package t\n${rules}` }], compileOptions).evalRule('data.t.p', {
    maxSteps: TEST_MAX_STEPS,
    ...options,
  })
}

/**
 * Rules `d0` .. `d<n>` where each is an array holding the previous one twice: cheap to build,
 * but `d<n>` written out in full has 2^n leaves (a string of 20 characters each).
 */
export function doublingRules(n: number): string {
  const lines = ['d0 := ["xxxxxxxxxxxxxxxxxxxx"]']
  for (let i = 1; i <= n; i++) lines.push(`d${i} := [d${i - 1}, d${i - 1}]`)
  return lines.join('\n')
}

/**
 * Assert that evaluating `rules` fails with an eval_limit_error (the step or time bound) on
 * their last line, where the tests put the huge request (and its setup on the lines before).
 */
export function expectLimitError(
  rules: string,
  options: EvalOptions = {},
  compileOptions: CompileOptions = {},
): RegoError {
  try {
    evalBounded(rules, options, compileOptions)
  } catch (e) {
    assert.ok(e instanceof RegoError, `expected a RegoError, got ${String(e)}`)
    assert.equal(e.code, 'eval_limit_error', e.message)
    const lastRow = rules.trimEnd().split('\n').length + 1
    assert.equal(e.location?.row, lastRow, `${e.message}: not on the last line of\n${rules}`)
    return e
  }
  assert.fail(`expected eval_limit_error from:\n${rules}`)
}

/** A context for direct calls that counts the units charged and throws once they pass `limit`. */
export function chargingContext(
  limit: number = TEST_MAX_STEPS,
  nowNs = 0n,
): BuiltinContext & { readonly charged: () => number } {
  let total = 0
  return {
    strict: true,
    nowNs,
    random: () => 0.5,
    memo: new Map(),
    location: undefined,
    charge: (units: number) => {
      total += units
      if (total > limit) throw new RegoError('eval_limit_error', `test: charged ${total} units`)
    },
    charged: () => total,
  }
}
