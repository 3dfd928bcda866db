import type { PreparedQuery, QueryResult } from '../api.ts'
import type { RegoVersion } from '../ast/ast.ts'
import { RegoError } from '../errors.ts'
import { RegoObject, type Value } from '../value/value.ts'
import type { ConformanceCase } from './case-file.ts'
import type { ConformanceEngine } from './engine.ts'
import { describeRows, sameResultSet, sortBindings, toResultRows } from './result-set.ts'
import { skipReason, SKIP_LIST, type SkipEntry } from './skip-list.ts'
import { groundTermValue } from './term-value.ts'

export type CaseStatus = 'pass' | 'fail' | 'skip'

export interface CaseOutcome {
  readonly status: CaseStatus
  /** Why the case failed or was skipped. */
  readonly message?: string
}

export interface RunCaseOptions {
  readonly engine: ConformanceEngine
  /** `v0/…` trees are Rego v0, `v1/…` trees Rego v1. */
  readonly regoVersion: RegoVersion
  /** Evaluation bounds handed to the engine, so a runaway case ends as a failure. */
  readonly timeoutMs?: number
  readonly maxSteps?: number
  readonly skipList?: readonly SkipEntry[]
}

const DEFAULT_TIMEOUT_MS = 5_000

/**
 * Run one case as OPA's `topdown` test runner does: compile the modules (named `test-0.rego`, …)
 * and the query, evaluate against `data` and the input, then check the expected error (substring
 * of the error text, exact code) or compare the result set. Never throws: every exception is a
 * failure of the case. Exceptions that are not RegoErrors are engine crashes and never satisfy an
 * expected error.
 */
export function runCase(c: ConformanceCase, options: RunCaseOptions): CaseOutcome {
  const skip = skipReason(c.note, options.skipList ?? SKIP_LIST)
  if (skip !== undefined) return { status: 'skip', message: skip }

  let query: PreparedQuery
  try {
    const modules = c.modules.map((text, i) => ({ name: `test-${i}.rego`, text }))
    query = options.engine.compile(modules, { regoVersion: options.regoVersion }).prepareQuery(c.query)
  } catch (e) {
    return fail(`compile error (no case expects one): ${errorText(e)}`)
  }

  let input: Value | undefined
  try {
    input = c.inputTerm === undefined ? c.input : evalInputTerm(c.inputTerm, options)
  } catch (e) {
    return fail(`cannot evaluate input_term: ${errorText(e)}`)
  }

  let results: QueryResult[]
  try {
    results = query.eval({
      input,
      data: c.data ?? new RegoObject(),
      strictBuiltinErrors: c.strictError,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(options.maxSteps === undefined ? {} : { maxSteps: options.maxSteps }),
    })
  } catch (e) {
    return checkError(c, e)
  }

  if (c.wantError !== undefined || c.wantErrorCode !== undefined) {
    const want = [c.wantErrorCode, c.wantError].filter((x) => x !== undefined).join(': ')
    return fail(`expected error ${JSON.stringify(want)} but got results ${describeRows(toResultRows(results))}`)
  }
  if (c.wantResult === undefined) return fail('the case has neither want_result nor an expected error')
  const prepare = (rows: readonly RegoObject[]): RegoObject[] => (c.sortBindings ? rows.map(sortBindings) : [...rows])
  const actual = prepare(toResultRows(results))
  const expected = prepare(c.wantResult)
  if (sameResultSet(actual, expected)) return { status: 'pass' }
  return fail(`want ${describeRows(expected)}\n got ${describeRows(actual)}`)
}

function checkError(c: ConformanceCase, e: unknown): CaseOutcome {
  const text = errorText(e)
  if (!(e instanceof RegoError)) return fail(`engine crashed: ${text}`)
  if (c.wantError === undefined && c.wantErrorCode === undefined) return fail(`unexpected error: ${text}`)
  if (c.wantErrorCode !== undefined && e.code !== c.wantErrorCode) {
    return fail(`want error code ${c.wantErrorCode}, got ${e.code}: ${text}`)
  }
  if (c.wantError !== undefined && !text.includes(c.wantError)) {
    return fail(`want error containing ${JSON.stringify(c.wantError)}, got ${JSON.stringify(text)}`)
  }
  return { status: 'pass' }
}

/** `input_term` is Rego term source; literal terms convert directly, others are evaluated. */
function evalInputTerm(text: string, options: RunCaseOptions): Value {
  const term = options.engine.parseTerm(text, options.regoVersion)
  const ground = groundTermValue(term)
  if (ground !== undefined) return ground
  const results = options.engine
    .compile([], { regoVersion: options.regoVersion })
    .prepareQuery(`input_term_value := ${text}`)
    .eval({ timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS })
  const value = results[0]?.get('input_term_value')
  if (results.length !== 1 || value === undefined) {
    throw new RegoError('invalid_argument', 'input_term must have exactly one value')
  }
  return value
}

function fail(message: string): CaseOutcome {
  return { status: 'fail', message }
}

function errorText(e: unknown): string {
  if (e instanceof RegoError) return e.toString()
  if (e instanceof Error) return `${e.name}: ${e.message}${stackTop(e)}`
  return String(e)
}

function stackTop(e: Error): string {
  const frame = e.stack?.split('\n').find((l) => l.trim().startsWith('at '))
  return frame ? ` (${frame.trim()})` : ''
}
