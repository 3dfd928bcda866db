import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { captureIo } from '../captured-io.ts'
import { main } from '../main.ts'

const dir = mkdtempSync(join(tmpdir(), 'carapace-eval-'))
after(() => {
  rmSync(dir, { recursive: true, force: true })
})
function write(path: string, text: string): string {
  const full = join(dir, path)
  mkdirSync(join(full, '..'), { recursive: true })
  writeFileSync(full, text)
  return full
}

const policy = write(
  'policy.rego',
  `package policy

default allow := false

allow if {
	print("user", input.user)
	input.user in data.admins
}

big := 9007199254740993 + data.conf.offset
`,
)
const admins = write('data.json', '{"admins": ["alice"]}')
write('tree/conf/data.yaml', 'offset: 1\n')
const alice = write('alice.json', '{"user": "alice"}')

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo()
  const code = await main(['policy', 'eval', ...argv], io)
  return { code, out: io.out(), err: io.err() }
}

test('evaluates a rule against policy, data and input, printing opa-eval JSON', async () => {
  const r = await run('-d', policy, '-d', admins, '-i', alice, 'data.policy.allow')
  assert.equal(r.code, 0)
  assert.deepEqual(JSON.parse(r.out), { result: [{ expressions: [{ value: true, text: 'data.policy.allow' }] }] })
  assert.equal(r.err, 'user alice\n', 'print() output goes to stderr')
})

test('loads data directories under their path and keeps big integers exact', async () => {
  const r = await run('-d', policy, '-d', join(dir, 'tree'), '--format', 'pretty', 'data.policy.big')
  assert.equal(r.code, 0)
  assert.equal(r.out, '9007199254740994\n')
})

test('reports bindings for queries with variables, and {} when undefined', async () => {
  const r = await run('-d', admins, 'x := data.admins[_]')
  assert.deepEqual(JSON.parse(r.out), { result: [{ bindings: { x: 'alice' } }] })
  const undef = await run('-d', policy, 'data.policy.nothing')
  assert.equal(undef.out, '{}\n')
})

test('parses Rego v0 with --v0', async () => {
  const v0 = write('v0.rego', 'package old\n\nallow { true }\n')
  assert.equal((await run('-d', v0, '--v0', '-f', 'pretty', 'data.old.allow')).out, 'true\n')
  const r = await run('-d', v0, 'data.old.allow')
  assert.equal(r.code, 1)
  assert.match(r.err, /v0.rego:3:\d+: rego_parse_error: /)
})

test('strict builtin errors fail the evaluation with the location', async () => {
  const bad = write('strict.rego', 'package s\n\nx := 1 / input.zero\n')
  const zero = write('zero.json', '{"zero": 0}')
  assert.equal((await run('-d', bad, '-i', zero, 'data.s.x')).out, '{}\n')
  const r = await run('-d', bad, '-i', zero, '--strict-builtin-errors', 'data.s.x')
  assert.equal(r.code, 1)
  assert.match(r.err, /strict.rego:3:\d+: eval_builtin_error: div: divide by zero/)
})

test('--strict compiles the modules in strict mode, reporting every error', async () => {
  const lax = write('lax.rego', 'package lax\n\nimport data.unused\n\nallow if {\n  x := 1\n  true\n}\n')
  assert.equal((await run('-d', lax, '-f', 'pretty', 'data.lax.allow')).out, 'true\n')
  const r = await run('-d', lax, '--strict', 'data.lax.allow')
  assert.equal(r.code, 1)
  assert.equal(r.out, '')
  assert.equal(
    r.err,
    `2 errors occurred:\n${lax}:3:1: rego_compile_error: import data.unused unused\n` +
      `${lax}:6:3: rego_compile_error: assigned var x unused\n`,
  )
})

test('reports compile errors with file:row:col on stderr', async () => {
  const broken = write('broken.rego', 'package b\n\nallow if {\n  x == 1\n}\n')
  const r = await run('-d', broken, 'data.b.allow')
  assert.equal(r.code, 1)
  assert.equal(r.out, '')
  assert.match(r.err, /broken.rego:4:\d+: rego_unsafe_var_error: var x is unsafe/)
})

test('rejects bad flags and arguments with the usage and status 2', async () => {
  for (const argv of [[], ['a', 'b'], ['--nope', 'q'], ['--format', 'yaml', 'q'], ['-d']]) {
    const r = await run(...argv)
    assert.equal(r.code, 2, argv.join(' '))
    assert.match(r.err, /^carapace policy eval: .*\n\nUsage: carapace policy eval/)
  }
  const missing = await run('-d', join(dir, 'missing.rego'), 'true')
  assert.equal(missing.code, 1)
  assert.match(missing.err, /invalid_argument: cannot read .*missing.rego/)
})

test('errors in the query itself are located by row:col', async () => {
  const r = await run('no.such_function(1)')
  assert.equal(r.code, 1)
  assert.equal(r.err, '1:1: rego_type_error: undefined function no.such_function\n')
})
