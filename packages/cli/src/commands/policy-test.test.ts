import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { captureIo } from '../captured-io.ts'
import { main } from '../main.ts'

const dir = mkdtempSync(join(tmpdir(), 'carapace-policy-test-'))
after(() => {
  rmSync(dir, { recursive: true, force: true })
})
function write(path: string, text: string): void {
  const full = join(dir, path)
  mkdirSync(join(full, '..'), { recursive: true })
  writeFileSync(full, text)
}

write(
  'ok/policy.rego',
  `package authz

allow if input.user in data.admins
`,
)
write('ok/data.json', '{"admins": ["alice"]}')
write(
  'ok/tests/policy_test.rego',
  `package authz_test

import data.authz

test_admin_allowed if authz.allow with input as {"user": "alice"}

test_other_denied if not authz.allow with input as {"user": "bob"}
`,
)
write(
  'bad/policy_test.rego',
  `package bad

test_pass if true

test_false if false

test_undefined if input.nothing

conflict := 1

conflict := 2 if true

test_error if {
	print("about to fail")
	conflict == 1
}
`,
)

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo()
  const code = await main(['policy', 'test', ...argv], io)
  return { code, out: io.out(), err: io.err() }
}

test('runs the test_* rules under a directory with its data; all passing exits 0', async () => {
  const r = await run(join(dir, 'ok'))
  assert.equal(r.code, 0, r.err)
  assert.equal(r.out, 'PASS: 2/2\n')
})

test('verbose lists every test by file', async () => {
  const r = await run('-v', join(dir, 'ok'))
  const lines = r.out.split('\n')
  assert.equal(lines[0], `${join(dir, 'ok/tests/policy_test.rego')}:`)
  assert.match(lines[1] ?? '', /^data\.authz_test\.test_admin_allowed: PASS \(/)
  assert.match(lines[2] ?? '', /^data\.authz_test\.test_other_denied: PASS \(/)
  assert.equal(lines.at(-2), 'PASS: 2/2')
})

test('false and undefined tests fail, errors are errors; the exit status is 1', async () => {
  const r = await run(join(dir, 'bad'))
  assert.equal(r.code, 1)
  assert.match(r.out, /^data\.bad\.test_false: FAIL \(/m)
  assert.match(r.out, /^data\.bad\.test_undefined: FAIL \(/m)
  assert.doesNotMatch(r.out, /test_pass/)
  assert.match(r.out, /^PASS: 1\/4\nFAIL: 2\/4\nERROR: 1\/4\n$/m)
  assert.match(r.out, /^ {2}.*policy_test.rego:14: about to fail$/m)
  assert.match(r.out, /^data\.bad\.test_error: ERROR \(.*\n {2}.*policy_test.rego:\d+: eval_conflict_error: /m)
})

test('--strict compiles the modules in strict mode', async () => {
  write('lax/lax_test.rego', 'package lax\n\nhelper(x) := 1\n\ntest_one if helper(2) == 1\n')
  assert.equal((await run(join(dir, 'lax'))).out, 'PASS: 1/1\n')
  const r = await run('--strict', join(dir, 'lax'))
  assert.equal(r.code, 1)
  assert.equal(
    r.err,
    `${join(dir, 'lax/lax_test.rego')}:3:1: rego_compile_error: unused argument x. (hint: use _ (wildcard variable) instead)\n`,
  )
  assert.equal((await run('--strict', join(dir, 'ok'))).out, 'PASS: 2/2\n')
})

test('--run selects tests by path', async () => {
  const r = await run('--run', 'test_pass$', join(dir, 'bad'))
  assert.equal(r.code, 0)
  assert.equal(r.out, 'PASS: 1/1\n')
  const none = await run('--run', 'nothing', join(dir, 'bad'))
  assert.equal(none.code, 1)
  assert.equal(none.err, 'no tests found matching nothing\n')
})

test('rejects a missing path, a bad --run pattern and unknown flags', async () => {
  assert.equal((await run()).code, 2)
  const bad = await run('--run', '(', join(dir, 'ok'))
  assert.equal(bad.code, 2)
  assert.match(bad.err, /--run is not a valid regular expression/)
  assert.equal((await run('--coverage', join(dir, 'ok'))).code, 2)
})
