import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { captureIo } from '../captured-io.ts'
import { main } from '../main.ts'

const dir = mkdtempSync(join(tmpdir(), 'carapace-conformance-cli-'))
after(() => {
  rmSync(dir, { recursive: true, force: true })
})
function write(path: string, text: string): void {
  const full = join(dir, path)
  mkdirSync(join(full, '..'), { recursive: true })
  writeFileSync(full, text)
}

// Small cases in OPA's format: three pass (one checks http.send's request validation), one
// expects the wrong value.
write(
  'cases/v1/basics/test-basics.yaml',
  `---
cases:
  - note: basics/rule value
    query: data.test.p = x
    modules:
      - |
        package test

        p := input.num + 1
    input: {num: 41}
    want_result:
      - x: 42
  - note: basics/wrong expectation
    query: data.test.p = x
    modules:
      - |
        package test

        p := 1
    want_result:
      - x: 2
`,
)
write(
  'cases/v0/basics/test-v0.yaml',
  `cases:
  - note: basics/v0 partial set
    query: data.test.p = x
    modules:
      - |
        package test

        p[x] { x := input.xs[_] }
    input_term: '{"xs": {3, 1}}'
    sort_bindings: true
    want_result:
      - x: [1, 3]
`,
)
write(
  'cases/v1/invalidkeyerror/test-http.yaml',
  `cases:
  - note: invalidkeyerror/missing keys
    query: data.test.p = x
    modules: ["package test\\n\\np := http.send({\\"method\\": \\"get\\"})\\n"]
    strict_error: true
    want_error_code: eval_type_error
`,
)

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo()
  const code = await main(['policy', 'conformance', ...argv], io)
  return { code, out: io.out(), err: io.err() }
}

test('prints a line per directory and ends with the totals line', async () => {
  const r = await run(join(dir, 'cases'))
  assert.equal(r.code, 0, r.err)
  assert.deepEqual(r.out.split('\n'), [
    'v0/basics           1/1',
    'v1/basics           1/2',
    'v1/invalidkeyerror  1/1',
    'pass rate 75.0% (minimum 0.0%)',
    '3 passed, 1 failed, 0 skipped',
    '',
  ])
})

test('--verbose explains failures; --json writes the report', async () => {
  const json = join(dir, 'report.json')
  const r = await run('--verbose', '--json', json, join(dir, 'cases'))
  assert.match(
    r.out,
    /^FAIL v1\/basics\/test-basics.yaml#1 basics\/wrong expectation\n {4}want \[\{"x":2\}\]\n {5}got \[\{"x":1\}\]$/m,
  )
  assert.doesNotMatch(r.out, /^(PASS|SKIP) /m)
  const report = JSON.parse(readFileSync(json, 'utf8')) as { passed: number; failed: number; cases: unknown[] }
  assert.deepEqual([report.passed, report.failed, report.cases.length], [3, 1, 4])
})

test('--min-pass-rate fails the run when the rate is lower', async () => {
  const r = await run('--min-pass-rate', '0.9', join(dir, 'cases'))
  assert.equal(r.code, 1)
  assert.match(r.err, /pass rate 75.0% is below the minimum/)
  assert.match(r.out, /3 passed, 1 failed, 0 skipped\n$/)
  assert.equal((await run('--min-pass-rate', '0.9', '--filter', 'v0/', join(dir, 'cases'))).code, 0)
})

test('rejects bad flags, and fails when there is nothing to run', async () => {
  for (const argv of [
    [],
    ['--min-pass-rate', '2', 'x'],
    ['--jobs', '0', 'x'],
    ['--min-pass-rate', 'abc', 'x'],
    ['a', 'b'],
  ]) {
    assert.equal((await run(...argv)).code, 2, argv.join(' '))
  }
  const unwritable = await run('--json', join(dir, 'no/such/dir/report.json'), join(dir, 'cases'))
  assert.equal(unwritable.code, 2)
  assert.match(unwritable.err, /cannot write --json .*report.json/)
  const missing = await run(join(dir, 'missing'))
  assert.equal(missing.code, 1)
  assert.match(missing.err, /cannot read/)
  const none = await run('--filter', 'no such case', join(dir, 'cases'))
  assert.equal(none.code, 1)
  assert.match(none.err, /no conformance cases found/)
})
