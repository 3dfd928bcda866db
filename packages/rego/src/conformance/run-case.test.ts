import assert from 'node:assert/strict'
import { test } from 'node:test'
import { toJsonText } from '../value/json.ts'
import { parseCaseFile, type ConformanceCase } from './case-file.ts'
import { conformanceEngine } from './fake-engine.ts'
import { runCase, type RunCaseOptions } from './run-case.ts'

const v1: RunCaseOptions = { engine: conformanceEngine, regoVersion: 1 }

function only(yaml: string): ConformanceCase {
  const [c] = parseCaseFile(yaml)
  assert.ok(c)
  return c
}

/** A case file with one case: the query and expectation lines given. */
function caseWith(lines: string): ConformanceCase {
  return only(`---\ncases:\n  - note: dir/a case\n    modules:\n      - |\n        package p\n${lines}`)
}

test('parses the case fields, numbers exact and keys as strings', () => {
  const c = only(`
cases:
  - note: x/y
    query: data.p = x
    modules: ["package p", "package q"]
    data: {big: 18446744073709551614, 0: zero}
    input: {a: [1, 2.5]}
    input_term: '{"a": {1}}'
    want_result: [{x: {7: seven}}]
    sort_bindings: true
    want_error: boom
    want_error_code: eval_type_error
    strict_error: true
`)
  assert.equal(c.note, 'x/y')
  assert.equal(c.index, 0)
  assert.deepEqual(c.modules, ['package p', 'package q'])
  assert.equal(toJsonText(c.data ?? null), '{"0":"zero","big":18446744073709551614}')
  assert.equal(toJsonText(c.input ?? null), '{"a":[1,2.5]}')
  assert.equal(c.inputTerm, '{"a": {1}}')
  assert.equal(toJsonText([...(c.wantResult ?? [])]), '[{"x":{"7":"seven"}}]')
  assert.deepEqual(
    [c.sortBindings, c.wantError, c.wantErrorCode, c.strictError],
    [true, 'boom', 'eval_type_error', true],
  )
})

test('rejects files that are not case files', () => {
  assert.throws(() => parseCaseFile('foo: 1\n'), /`cases` list/)
  assert.throws(() => parseCaseFile('cases:\n  - note: a note\n'), /case 0 has no query/)
  assert.throws(() => parseCaseFile('cases:\n  - query: q\n    modules: [1]\n'), /modules must be a list of strings/)
})

test('names modules test-<i>.rego and passes the tree version, data, input and strictness', () => {
  const c = only(`
cases:
  - note: a note
    query: echo
    modules: [a, b]
    data: {d: 1}
    input: 5
    strict_error: true
    want_result: [{x: {modules: [test-0.rego, test-1.rego], version: 0, input: 5, data: {d: 1}, strict: true}}]
`)
  assert.deepEqual(runCase(c, { ...v1, regoVersion: 0 }), { status: 'pass' })
})

test('without data the store is empty, without input the input is undefined', () => {
  const c = caseWith(
    `    query: echo\n    want_result: [{x: {modules: [test-0.rego], version: 1, input: undefined, data: {}, strict: false}}]\n`,
  )
  assert.deepEqual(runCase(c, v1), { status: 'pass' })
})

test('compares results as a set of binding maps with Rego equality', () => {
  const pass = caseWith(`    query: 'results [{"x": 1, "z": "a"}, {"x": 2.0, "z": "b"}, {"x": 1, "z": "a"}]'
    want_result: [{x: 2, z: b}, {x: 1.0, z: a}]\n`)
  assert.deepEqual(runCase(pass, v1), { status: 'pass' })
  const wrong = caseWith(`    query: 'results [{"x": 1}]'\n    want_result: [{x: 1}, {x: 2}]\n`)
  const outcome = runCase(wrong, v1)
  assert.equal(outcome.status, 'fail')
  assert.match(outcome.message ?? '', /want \[\{"x":1\},\{"x":2\}\]\n got \[\{"x":1\}\]/)
})

test('distinguishes undefined ([]) from true with no bindings ([{}])', () => {
  assert.equal(runCase(caseWith(`    query: 'results []'\n    want_result: []\n`), v1).status, 'pass')
  assert.equal(runCase(caseWith(`    query: 'results [{}]'\n    want_result: [{}]\n`), v1).status, 'pass')
  assert.equal(runCase(caseWith(`    query: 'results []'\n    want_result: [{}]\n`), v1).status, 'fail')
})

test('converts sets to sorted arrays and non-string keys to JSON text before comparing', () => {
  const sets = caseWith(`    query: 'results [{"x": {"$set": [3, 1, 2]}, "z": {"$set": [["b", 1], ["a", 2]]}}]'
    want_result: [{x: [1, 2, 3], z: [[a, 2], [b, 1]]}]\n`)
  assert.deepEqual(runCase(sets, v1), { status: 'pass' })
  const keys =
    caseWith(`    query: 'results [{"z": {"$object": [[1, "one"], [[1, "a"], "pair"], ["s", {"$set": []}]]}}]'
    want_result: [{z: {1: one, '[1,"a"]': pair, s: []}}]\n`)
  assert.deepEqual(runCase(keys, v1), { status: 'pass' })
})

test('sort_bindings sorts array values before comparing', () => {
  const unsorted = `    query: 'results [{"x": [3, "a", 1]}]'\n    want_result: [{x: [1, 3, a]}]\n`
  assert.equal(runCase(caseWith(unsorted), v1).status, 'fail')
  assert.equal(runCase(caseWith(`${unsorted}    sort_bindings: true\n`), v1).status, 'pass')
})

test('want_error matches a substring of file:row: code: message, want_error_code the code', () => {
  const thrower = `    query: 'throw eval_builtin_error div: divide by zero'\n    strict_error: true\n`
  assert.equal(
    runCase(caseWith(`${thrower}    want_error: 'test-0.rego:3: eval_builtin_error: div: divide'\n`), v1).status,
    'pass',
  )
  assert.equal(runCase(caseWith(`${thrower}    want_error_code: eval_builtin_error\n`), v1).status, 'pass')
  assert.equal(runCase(caseWith(`${thrower}    want_error: ''\n`), v1).status, 'pass')
  const wrongCode = runCase(caseWith(`${thrower}    want_error_code: eval_type_error\n`), v1)
  assert.equal(wrongCode.status, 'fail')
  assert.match(wrongCode.message ?? '', /want error code eval_type_error, got eval_builtin_error/)
  const wrongText = runCase(caseWith(`${thrower}    want_error: 'modulo by zero'\n`), v1)
  assert.match(
    wrongText.message ?? '',
    /want error containing "modulo by zero", got "test-0.rego:3: eval_builtin_error: div: divide by zero"/,
  )
})

test('an error nobody expects, or a missing expected error, fails the case', () => {
  const unexpected = runCase(
    caseWith(
      `    query: throw eval_conflict_error complete rules must not produce multiple outputs\n    want_result: []\n`,
    ),
    v1,
  )
  assert.equal(unexpected.status, 'fail')
  assert.match(unexpected.message ?? '', /unexpected error: test-0.rego:3: eval_conflict_error/)
  const missing = runCase(caseWith(`    query: 'results [{"x": 1}]'\n    want_error_code: eval_type_error\n`), v1)
  assert.equal(missing.status, 'fail')
  assert.match(missing.message ?? '', /expected error "eval_type_error" but got results \[\{"x":1\}\]/)
})

test('an expected error wins over want_result when both are given', () => {
  const c = caseWith(
    `    query: 'throw eval_builtin_error div: divide by zero'\n    want_result: [{x: 1}]\n    want_error: divide by zero\n`,
  )
  assert.equal(runCase(c, v1).status, 'pass')
})

test('engine crashes and compile errors fail, even where any error is accepted', () => {
  const crash = runCase(caseWith(`    query: crash\n    want_error: ''\n`), v1)
  assert.equal(crash.status, 'fail')
  assert.match(crash.message ?? '', /^engine crashed: TypeError: cannot read properties of undefined/)
  const broken = only(`cases:\n  - note: a note\n    query: echo\n    modules: [broken]\n    want_error: ''\n`)
  const compileError = runCase(broken, v1)
  assert.equal(compileError.status, 'fail')
  assert.match(compileError.message ?? '', /compile error \(no case expects one\): test-0.rego:1: rego_parse_error/)
})

test('input_term is parsed as a Rego term and overrides input', () => {
  const ground = caseWith(`    query: echo\n    input: 1\n    input_term: '{"a": {"$set": [2, 1]}}'
    want_result: [{x: {modules: [test-0.rego], version: 1, input: {a: [1, 2]}, data: {}, strict: false}}]\n`)
  assert.deepEqual(runCase(ground, v1), { status: 'pass' })
  const evaluated = caseWith(`    query: echo\n    input_term: ref
    want_result: [{x: {modules: [test-0.rego], version: 1, input: evaluated, data: {}, strict: false}}]\n`)
  assert.deepEqual(runCase(evaluated, v1), { status: 'pass' })
})

test('skips only the cases on the skip list, with the reason', () => {
  const c = only(
    `cases:\n  - note: invalidkeyerror/missing keys\n    query: crash\n    modules: []\n    want_result: []\n`,
  )
  const skipList = [{ notePrefix: 'invalidkeyerror/', reason: 'needs http.send' }]
  const outcome = runCase(c, { ...v1, skipList })
  assert.equal(outcome.status, 'skip')
  assert.match(outcome.message ?? '', /http.send/)
  assert.equal(runCase(c, { ...v1, skipList: [] }).status, 'fail')
  assert.equal(runCase(c, v1).status, 'fail', 'the default skip list is empty')
})
