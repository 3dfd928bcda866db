import assert from 'node:assert/strict'
import { equal } from '../value/compare.ts'
import { fromJS } from '../value/json.ts'
import { toRegoText } from '../value/rego-text.ts'
import type { Value } from '../value/value.ts'

/**
 * Assert that a Rego result equals `expected` (plain JS, converted with fromJS) by Rego
 * equality. node's deepEqual would compare RegoObject internals (caches), not values.
 */
export function assertRegoEqual(actual: Value | undefined, expected: unknown, message?: string): void {
  const want = fromJS(expected)
  if (actual !== undefined && equal(actual, want)) return
  const got = actual === undefined ? 'undefined' : toRegoText(actual)
  assert.fail(`${message ? message + ': ' : ''}expected ${toRegoText(want)}, got ${got}`)
}
