import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { BuiltinDef } from '../builtins/builtin.ts'
import { compile } from '../engine.ts'
import { fromJS } from '../value/json.ts'
import { run } from './test-helpers.ts'

function printed(modules: string, query: string, input?: unknown): string[] {
  const lines: string[] = []
  run(modules, query, { print: (e) => lines.push(e.message), ...(input === undefined ? {} : { input: fromJS(input) }) })
  return lines
}

test('print: single-valued operands, strings raw at the top level, quoted inside composites', () => {
  assert.deepEqual(printed('package t', 'print("a", 1, "b c", ["x", 2], {"k": set()}, null, true)'), [
    'a 1 b c ["x", 2] {"k": set()} null true',
  ])
  assert.deepEqual(printed('package t', 'x := {"b": 1, "a": [{2, 1}]}; print("v =", x)'), [
    'v = {"a": [{1, 2}], "b": 1}',
  ])
  assert.deepEqual(printed('package t', 'print()'), [''])
})

test('print: undefined operands print <undefined> and do not stop the body', () => {
  const r: string[] = []
  const out = run('package t', 'print(input.missing, "x", input.a.b); y := 1', {
    input: fromJS({ a: 1 }),
    print: (e) => r.push(e.message),
  })
  assert.deepEqual(out, [{ y: 1 }])
  assert.deepEqual(r, ['<undefined> x <undefined>'])
  // A multi-valued operand with no values is undefined too.
  assert.deepEqual(printed('package t', 'print("none:", input.xs[_])', { xs: [] }), ['none: <undefined>'])
})

test('print: multi-valued operands print the cross product of their sorted, distinct values', () => {
  assert.deepEqual(printed('package t', 'print("v", input.xs[_])', { xs: [2, 1, 2] }), ['v 1', 'v 2'])
  assert.deepEqual(printed('package t', 'print(input.xs[_], "-", input.ys[_])', { xs: ['b', 'a'], ys: [1, 2] }), [
    'a - 1',
    'a - 2',
    'b - 1',
    'b - 2',
  ])
})

test('print: single operands before and after a multi-valued one, undefined ones included', () => {
  assert.deepEqual(printed('package t', 'print("p", input.xs[_], input.missing, {"k": input.xs[0]})', { xs: [2, 1] }), [
    'p 1 <undefined> {"k": 2}',
    'p 2 <undefined> {"k": 2}',
  ])
})

test('print: the same composite printed twice renders the same text', () => {
  const input = { big: { list: [1, 2, 3], name: 'n\u0001"q"' } }
  const lines = printed('package t', 'print(input.big); print("again", input.big)', input)
  assert.deepEqual(lines, [
    '{"list": [1, 2, 3], "name": "n\\u0001\\"q\\""}',
    'again {"list": [1, 2, 3], "name": "n\\u0001\\"q\\""}',
  ])
})

test('print: without a handler its operands are not evaluated', () => {
  let calls = 0
  const counter: BuiltinDef = {
    name: 'count_call',
    arity: 1,
    fn: (args) => {
      calls++
      return args[0] ?? null
    },
  }
  const policy = compile([{ name: 'p.rego', text: 'package p\nallow if { print(count_call(1)); true }' }], {
    hostFunctions: [counter],
  })
  assert.equal(policy.evalRule('data.p.allow'), true)
  assert.equal(calls, 0)
  const lines: string[] = []
  assert.equal(policy.evalRule('data.p.allow', { print: (e) => lines.push(e.message) }), true)
  assert.equal(calls, 1)
  assert.deepEqual(lines, ['1'])
})
