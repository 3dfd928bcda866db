import { performance } from 'node:perf_hooks'
import type { CompiledPolicy } from '../api.ts'
import { RegoError, type Location } from '../errors.ts'
import type { Value } from '../value/value.ts'
import { findTests } from './find-tests.ts'

export type PolicyTestStatus = 'pass' | 'fail' | 'error'

export interface PolicyTestResult {
  readonly path: string
  readonly file: string
  readonly location: Location
  /** pass: the rule is true; fail: undefined or any other value; error: evaluation failed. */
  readonly status: PolicyTestStatus
  /** The error text, for status error. */
  readonly error?: string
  /** Lines the test printed, as `file:row: message`. */
  readonly prints: readonly string[]
  readonly durationMs: number
}

export interface PolicyTestOptions {
  /** The base data document. */
  readonly data?: Value
  /** Only tests whose full path (`data.pkg.test_x`) matches. */
  readonly run?: RegExp
  /** Evaluation bounds per test (engine defaults otherwise). */
  readonly timeoutMs?: number
  readonly maxSteps?: number
}

/**
 * Run every `test_*` rule of a compiled policy, like `opa test`: a test passes when it is
 * defined and true.
 */
export function runPolicyTests(policy: CompiledPolicy, options: PolicyTestOptions = {}): PolicyTestResult[] {
  const tests = findTests(policy.modules).filter((t) => !options.run || options.run.test(t.path))
  return tests.map((t) => {
    const prints: string[] = []
    const start = performance.now()
    let status: PolicyTestStatus
    let error: string | undefined
    try {
      const value = policy.evalRule(t.path, {
        ...(options.data === undefined ? {} : { data: options.data }),
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        ...(options.maxSteps === undefined ? {} : { maxSteps: options.maxSteps }),
        print: (e) => prints.push(`${e.location.file}:${e.location.row}: ${e.message}`),
      })
      status = value === true ? 'pass' : 'fail'
    } catch (e) {
      status = 'error'
      error = e instanceof RegoError ? e.toString() : `internal error: ${String(e)}`
    }
    const durationMs = performance.now() - start
    return { ...t, status, ...(error === undefined ? {} : { error }), prints, durationMs }
  })
}
