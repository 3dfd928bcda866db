import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { CompiledPolicy, EvalOptions } from '../api.ts'
import type { Module, Rule, Term } from '../ast/ast.ts'
import { RegoError, type Location } from '../errors.ts'
import type { Value } from '../value/value.ts'
import { findTests, toRulePath } from './find-tests.ts'
import { formatTestReport } from './format-test-report.ts'
import { runPolicyTests } from './run-policy-tests.ts'

const at = (file: string, row: number): Location => ({ file, row, col: 1 })

function rule(file: string, row: number, ref: readonly Term[], args?: readonly Term[]): Rule {
  const loc = at(file, row)
  return {
    head: { ref, args, key: undefined, value: undefined, assign: false, contains: false, loc },
    body: [],
    isDefault: false,
    elses: [],
    loc,
  }
}
const v = (name: string): Term => ({ type: 'var', name, loc: at('', 1) })

function module(file: string, pkg: string[], rules: Rule[]): Module {
  return { file, package: pkg, imports: [], rules, regoVersion: 1, comments: [] }
}

const modules = [
  module(
    'a_test.rego',
    ['a'],
    [
      rule('a_test.rego', 3, [v('test_pass')]),
      rule('a_test.rego', 5, [v('test_fail')]),
      rule('a_test.rego', 7, [v('allow')]),
      rule('a_test.rego', 9, [v('test_fn')], [v('x')]),
      rule('a_test.rego', 11, [v('test_pass')]),
      rule('a_test.rego', 13, [v('test_nested'), { type: 'string', value: 'x', loc: at('', 1) }]),
    ],
  ),
  module(
    'b_test.rego',
    ['b', 'c-d'],
    [rule('b_test.rego', 2, [v('test_error')]), rule('b_test.rego', 4, [v('test_print')])],
  ),
]

/** A stand-in for a compiled policy: each test path maps to its behaviour. */
function fakePolicy(behaviour: Record<string, (o: EvalOptions) => Value | undefined>): CompiledPolicy {
  return {
    modules,
    rulePaths: [],
    prepareQuery: () => ({ eval: () => [] }),
    evalRule: (path, options = {}) => {
      const f = behaviour[path]
      if (!f) throw new RegoError('invalid_argument', `not a valid rule path: ${path}`)
      return f(options)
    },
  }
}

const policy = fakePolicy({
  'data.a.test_pass': () => true,
  'data.a.test_fail': () => undefined,
  'data.b["c-d"].test_error': () => {
    throw new RegoError('eval_type_error', 'plus: operand 1 must be number but got string', at('b_test.rego', 2))
  },
  'data.b["c-d"].test_print': (o) => {
    o.print?.({ message: 'hello', location: at('b_test.rego', 5) })
    return o.data ?? false
  },
})

test('finds rules named test_* without arguments, once per path', () => {
  assert.deepEqual(
    findTests(modules).map((t) => `${t.path} ${t.file}:${t.location.row}`),
    [
      'data.a.test_pass a_test.rego:3',
      'data.a.test_fail a_test.rego:5',
      'data.b["c-d"].test_error b_test.rego:2',
      'data.b["c-d"].test_print b_test.rego:4',
    ],
  )
  assert.equal(toRulePath(['x', 'y z', '_k1']), 'data.x["y z"]._k1')
})

test('a test passes only when true; undefined fails; errors are reported with their text', () => {
  const results = runPolicyTests(policy, { data: 7 })
  assert.deepEqual(
    results.map((r) => [r.path, r.status]),
    [
      ['data.a.test_pass', 'pass'],
      ['data.a.test_fail', 'fail'],
      ['data.b["c-d"].test_error', 'error'],
      ['data.b["c-d"].test_print', 'fail'],
    ],
  )
  assert.equal(results[2]?.error, 'b_test.rego:2: eval_type_error: plus: operand 1 must be number but got string')
  assert.deepEqual(results[3]?.prints, ['b_test.rego:5: hello'])
  assert.equal(runPolicyTests(policy, { data: true })[3]?.status, 'pass', 'data reaches the evaluation')
})

test('--run selects tests by a pattern on their path', () => {
  assert.deepEqual(
    runPolicyTests(policy, { run: /c-d.*print/ }).map((r) => r.path),
    ['data.b["c-d"].test_print'],
  )
})

test('the report lists what did not pass (everything when verbose) and the summary', () => {
  const results = runPolicyTests(policy).map((r) => ({ ...r, durationMs: 1.25 }))
  assert.deepEqual(formatTestReport(results), [
    'a_test.rego:',
    'data.a.test_fail: FAIL (1.3ms)',
    '',
    'b_test.rego:',
    'data.b["c-d"].test_error: ERROR (1.3ms)',
    '  b_test.rego:2: eval_type_error: plus: operand 1 must be number but got string',
    'data.b["c-d"].test_print: FAIL (1.3ms)',
    '',
    '  b_test.rego:5: hello',
    '',
    '-'.repeat(80),
    'PASS: 1/4',
    'FAIL: 2/4',
    'ERROR: 1/4',
  ])
  const verbose = formatTestReport(results, { verbose: true })
  assert.equal(verbose[1], 'data.a.test_pass: PASS (1.3ms)')
  assert.deepEqual(formatTestReport(results.slice(0, 1)), ['PASS: 1/1'])
})
