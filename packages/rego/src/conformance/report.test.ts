import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatCaseDetails, formatDirectoryLines, formatTotals, summarize, toJsonReport } from './report.ts'
import type { CaseResult } from './run-suite.ts'

const result = (directory: string, status: CaseResult['status'], message?: string): CaseResult => ({
  file: `${directory}/test-x.yaml`,
  directory,
  index: 0,
  note: `${directory.split('/')[1] ?? ''}/case`,
  status,
  durationMs: 1.25,
  ...(message === undefined ? {} : { message }),
})

const results = [
  result('v1/aggregates', 'pass'),
  result('v1/aggregates', 'pass'),
  result('v1/strings', 'fail', 'want [1]\n got [2]'),
  result('v1/strings', 'pass'),
  result('v1/netlookupipaddr', 'skip', 'needs network'),
]

test('summarizes per directory and in total; skipped cases do not count toward the rate', () => {
  const s = summarize(results)
  assert.deepEqual([s.passed, s.failed, s.skipped], [3, 1, 1])
  assert.equal(s.passRate, 0.75)
  assert.deepEqual(
    s.directories.map((d) => d.directory),
    ['v1/aggregates', 'v1/netlookupipaddr', 'v1/strings'],
  )
  assert.equal(summarize([]).passRate, 0)
})

test('prints one line per directory and the totals line CI parses', () => {
  const s = summarize(results)
  assert.deepEqual(formatDirectoryLines(s), [
    'v1/aggregates       2/2',
    'v1/netlookupipaddr  0/0  (1 skipped)',
    'v1/strings          1/2',
  ])
  assert.equal(formatTotals(s), '3 passed, 1 failed, 1 skipped')
})

test('details list failed and skipped cases with their reasons', () => {
  assert.deepEqual(formatCaseDetails(results), [
    'FAIL v1/strings/test-x.yaml#0 strings/case',
    '    want [1]',
    '     got [2]',
    'SKIP v1/netlookupipaddr/test-x.yaml#0 netlookupipaddr/case',
    '    needs network',
  ])
})

test('the JSON report holds totals, directories and every case', () => {
  const json = JSON.parse(toJsonReport(summarize(results), results)) as {
    passed: number
    passRate: number
    directories: unknown[]
    cases: { status: string; message?: string }[]
  }
  assert.equal(json.passed, 3)
  assert.equal(json.passRate, 0.75)
  assert.equal(json.directories.length, 3)
  assert.equal(json.cases.length, 5)
  assert.equal(json.cases[2]?.message, 'want [1]\n got [2]')
  assert.equal(json.cases[0]?.message, undefined)
})
