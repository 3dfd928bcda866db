import assert from 'node:assert/strict'
import { test } from 'node:test'
import { compile } from '../engine.ts'
import { RegoObject } from '../value/value.ts'
import { evalQueryReport } from './eval-query-report.ts'
import { formatQueryReportJson, formatQueryReportPretty } from './format-query-report.ts'

const policy = compile([
  {
    name: 'policy.rego',
    text: 'package policy\n\ndefault allow := false\n\nallow if input.user == "admin"\n\nroles := {"a", "b"}\n',
  },
])

test('a single expression reports its value, even false', () => {
  const report = evalQueryReport(policy, 'data.policy.allow', { input: RegoObject.from([['user', 'bob']]) })
  assert.equal(report.hasValue, true)
  assert.deepEqual(report.rows, [{ value: false, bindings: new Map() }])
  assert.equal(
    formatQueryReportJson(report),
    '{\n  "result": [\n    {\n      "expressions": [\n        {\n          "text": "data.policy.allow",\n          "value": false\n        }\n      ]\n    }\n  ]\n}',
  )
  assert.equal(formatQueryReportPretty(report), 'false')
})

test('a query with variables reports its bindings; sets print as arrays', () => {
  const report = evalQueryReport(policy, 'r := data.policy.roles[_]; r != "b"')
  assert.equal(report.hasValue, false)
  assert.equal(
    formatQueryReportJson(report),
    '{\n  "result": [\n    {\n      "bindings": {\n        "r": "a"\n      }\n    }\n  ]\n}',
  )
  assert.equal(
    formatQueryReportPretty(evalQueryReport(policy, 'x := data.policy.roles')),
    '{\n  "x": [\n    "a",\n    "b"\n  ]\n}',
  )
})

test('an undefined query prints {} (JSON) or undefined (pretty)', () => {
  const report = evalQueryReport(policy, 'data.policy.missing')
  assert.deepEqual(report.rows, [])
  assert.equal(formatQueryReportJson(report), '{}')
  assert.equal(formatQueryReportPretty(report), 'undefined')
})

test('a single expression with variables reports both', () => {
  const report = evalQueryReport(policy, 'data.policy.roles[x]')
  assert.deepEqual(
    report.rows.map((r) => [r.value, r.bindings.get('x')]),
    [
      ['a', 'a'],
      ['b', 'b'],
    ],
  )
  assert.equal(formatQueryReportPretty(evalQueryReport(policy, '1 == 1')), 'true')
})
