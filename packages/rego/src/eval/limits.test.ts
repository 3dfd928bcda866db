import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { EvalOptions } from '../api.ts'
import type { BuiltinDef } from '../builtins/builtin.ts'
import { compile } from '../engine.ts'
import { RegoError } from '../errors.ts'
import type { Value } from '../value/value.ts'

function evalRule(text: string, rule: string, options: EvalOptions = {}, hosts: BuiltinDef[] = []): Value | undefined {
  return compile([{ name: 't.rego', text }], { hostFunctions: hosts }).evalRule(rule, options)
}

function limitError(f: () => unknown): RegoError {
  try {
    f()
  } catch (e) {
    assert.ok(e instanceof RegoError, `expected a RegoError, got ${String(e)}`)
    assert.equal(e.code, 'eval_limit_error', String(e))
    return e
  }
  assert.fail('expected eval_limit_error')
}

function ruleChain(n: number): string {
  const lines = ['package t']
  for (let i = 0; i < n; i++) lines.push(`p${i} := p${i + 1} + 1`)
  lines.push(`p${n} := 0`)
  return lines.join('\n')
}

test('depth: the default bound (250) is reached before the JS stack runs out', () => {
  const e = limitError(() => evalRule(ruleChain(300), 'data.t.p0'))
  assert.match(e.message, /evaluation exceeded the maximum depth \(250\)/)
  assert.equal(e.location?.file, 't.rego')
})

test('depth: nesting below the bound evaluates', () => {
  assert.equal(evalRule(ruleChain(200), 'data.t.p0'), 200)
  assert.equal(evalRule(ruleChain(300), 'data.t.p0', { maxDepth: 400 }), 300)
})

test('depth: running out of JS stack first is an eval_limit_error that says so', () => {
  const e = limitError(() => evalRule(ruleChain(20_000), 'data.t.p0', { maxDepth: 1_000_000 }))
  assert.match(e.message, /JavaScript call stack .*nested too deeply/)
  assert.equal(e.location?.file, 't.rego')
})

test('charge: builtin work counts against the step bound, reported at the call', () => {
  const heavy: BuiltinDef = {
    name: 'heavy',
    arity: 1,
    fn: (args, ctx) => {
      ctx.charge?.(Number(args[0]))
      return true
    },
  }
  const text = 'package t\np if {\n  heavy(input)\n}'
  assert.equal(evalRule(text, 'data.t.p', { input: 500, maxSteps: 1000 }, [heavy]), true)
  const e = limitError(() => evalRule(text, 'data.t.p', { input: 5000, maxSteps: 1000 }, [heavy]))
  assert.match(e.message, /step limit \(1000\)/)
  assert.equal(e.location?.row, 3)
})

test('charge: the clock is checked on every charge', () => {
  const slow: BuiltinDef = {
    name: 'slow',
    arity: 0,
    fn: (_, ctx) => {
      const until = Date.now() + 20
      while (Date.now() <= until) {
        // busy: a builtin doing long work between charges
      }
      ctx.charge?.(0)
      return true
    },
  }
  const e = limitError(() => evalRule('package t\np if slow()', 'data.t.p', { timeoutMs: 5 }, [slow]))
  assert.match(e.message, /time limit/)
})

test('charge: a huge numbers.range stops at the step bound instead of allocating', () => {
  const e = limitError(() =>
    evalRule('package t\np := count(numbers.range(1, 100000000))', 'data.t.p', { maxSteps: 100_000 }),
  )
  assert.match(e.message, /step limit/)
  assert.equal(evalRule('package t\np := count(numbers.range(1, 1000))', 'data.t.p', { maxSteps: 100_000 }), 1000)
})

test('charge: the results of a relation count as steps', () => {
  const big: Value[] = Array.from({ length: 10_000 }, (_, i) => i)
  const text = 'package t\np := count([x | walk(input, x)])'
  assert.equal(evalRule(text, 'data.t.p', { input: big }), 10_001)
  limitError(() => evalRule(text, 'data.t.p', { input: big, maxSteps: 5_000 }))
})

test('a deeply nested input fails fast in walk, with the step bound', () => {
  let deep: Value = []
  for (let i = 0; i < 100_000; i++) deep = [deep]
  const e = limitError(() => evalRule('package t\np := count([x | walk(input, x)])', 'data.t.p', { input: deep }))
  assert.match(e.message, /step limit/)
})
