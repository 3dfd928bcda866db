import assert from 'node:assert/strict'
import { test } from 'node:test'
import { toJS } from '../../../value/json.ts'
import type { Value } from '../../../value/value.ts'
import { BuiltinError, type BuiltinContext } from '../../builtin.ts'
import { evalBounded, expectLimitError } from '../../bounds-test-support.ts'
import { regoBuiltins } from './parse-module.ts'

const ctx: BuiltinContext = { strict: true, nowNs: 0n, random: () => 0, memo: new Map(), location: undefined }

function parse(text: string): unknown {
  const def = regoBuiltins[0]
  assert.ok(def)
  return toJS(def.fn(['x.rego', text], ctx) as Value)
}

const v = (value: string): unknown => ({ type: 'var', value })
const s = (value: string): unknown => ({ type: 'string', value })

test('module JSON in OPA shape', () => {
  const got = parse('package foo.bar\n\nimport data.a as b\n\np if { a = true }\nq := count([1])\n') as Record<
    string,
    unknown
  >
  assert.deepEqual(got.package, { path: [v('data'), s('foo'), s('bar')] })
  assert.deepEqual(got.imports, [{ path: { type: 'ref', value: [v('data'), s('a')] }, alias: 'b' }])
  assert.deepEqual(got.rules, [
    {
      head: { name: 'p', ref: [v('p')], value: { type: 'boolean', value: true } },
      body: [{ index: 0, terms: [{ type: 'ref', value: [v('eq')] }, v('a'), { type: 'boolean', value: true }] }],
    },
    {
      head: {
        name: 'q',
        ref: [v('q')],
        assign: true,
        value: {
          type: 'call',
          value: [
            { type: 'ref', value: [v('count')] },
            { type: 'array', value: [{ type: 'number', value: 1 }] },
          ],
        },
      },
      body: [{ index: 0, terms: { type: 'boolean', value: true } }],
    },
  ])
})

test('parse errors are builtin errors with OPA text', () => {
  assert.throws(
    () => parse('package foo.'),
    (e: unknown) =>
      e instanceof BuiltinError &&
      e.code === 'eval_builtin_error' &&
      e.message.startsWith('1 error occurred: x.rego:1: rego_parse_error: unexpected eof token'),
  )
})

test('rego.parse_module charges the text it parses', () => {
  const rules = Array.from({ length: 20_000 }, (_, i) => `r${i} := ${i}`).join('\n')
  expectLimitError('p := rego.parse_module("m.rego", input)', { input: `package m\n${rules}` })
  assert.ok(evalBounded('p := rego.parse_module("m.rego", "package m\\nq := 1")'))
})
