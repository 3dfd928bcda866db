// Hostile or broken policies and inputs: each must give a clear, coded error or hit an
// evaluation bound, and never crash or hang the process.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { compile } from './engine.ts'
import { RegoError, type RegoErrorCode } from './errors.ts'
import { fromJS } from './value/json.ts'
import type { Value } from './value/value.ts'
import type { EvalOptions } from './api.ts'

function policy(text: string) {
  return compile([{ name: 'bad.rego', text }])
}

function expectError(fn: () => unknown, code: RegoErrorCode, text: RegExp): RegoError {
  try {
    fn()
  } catch (e) {
    assert.ok(e instanceof RegoError, `expected a RegoError, got ${String(e)}`)
    assert.equal(e.code, code, String(e))
    assert.match(e.toString(), text)
    return e
  }
  assert.fail(`expected ${code}`)
}

function evalP(text: string, options?: EvalOptions): Value | undefined {
  return policy(text).evalRule('data.bad.p', options)
}

describe('bad policies are rejected at compile time with a location', () => {
  test('syntax error', () => {
    const e = expectError(() => policy('package bad\np := {'), 'rego_parse_error', /^bad\.rego:2: rego_parse_error: /)
    assert.equal(e.location?.row, 2)
  })

  test('v0 body in a v1 module', () => {
    expectError(
      () => policy('package bad\np { true }'),
      'rego_parse_error',
      /`if` keyword is required before rule body/,
    )
  })

  test('unsafe variable', () => {
    expectError(() => policy('package bad\np if { x > 1 }'), 'rego_unsafe_var_error', /bad\.rego:2: .*var x is unsafe/)
  })

  test('recursion through two rules', () => {
    expectError(
      () => policy('package bad\np if q\nq if p'),
      'rego_recursion_error',
      /rule data\.bad\.p is recursive: data\.bad\.p -> data\.bad\.q -> data\.bad\.p/,
    )
  })

  test('endless function recursion', () => {
    expectError(() => policy('package bad\nf(x) := f(x + 1)\np := f(1)'), 'rego_recursion_error', /data\.bad\.f/)
  })

  test('unknown function', () => {
    expectError(() => policy('package bad\np := nope(1)'), 'rego_type_error', /undefined function nope/)
  })

  test('deeply nested literal', () => {
    const deep = 'package bad\np := ' + '[\n'.repeat(50_000) + ']\n'.repeat(50_000)
    expectError(() => policy(deep), 'rego_parse_error', /max parsing recursion depth exceeded/)
  })

  test('overlong line', () => {
    expectError(() => policy('package bad\np := "' + 'x'.repeat(70_000) + '"'), 'rego_parse_error', /too long/)
  })
})

describe('evaluation errors carry OPA codes', () => {
  test('complete rule with two values is a conflict', () => {
    expectError(
      () => evalP('package bad\np := 1\np := 2'),
      'eval_conflict_error',
      /complete rules must not produce multiple outputs/,
    )
  })

  test('iteration giving a complete rule two values is a conflict', () => {
    expectError(
      () => evalP('package bad\np := x if { some x in [1, 2] }'),
      'eval_conflict_error',
      /complete rules must not produce multiple outputs/,
    )
  })

  test('partial object with a duplicate key is a conflict', () => {
    expectError(
      () => evalP('package bad\np[k] := v if { some v in [1, 2]; k := "a" }'),
      'eval_conflict_error',
      /object keys must be unique/,
    )
  })

  test('an unknown rule path is reported, not silently undefined', () => {
    expectError(() => policy('package bad\np := 1').evalRule('data.bad.q'), 'invalid_argument', /not a valid rule path/)
  })
})

describe('evaluation is bounded', () => {
  test('an endless cross product hits the step bound', () => {
    const text = 'package bad\nr := numbers.range(1, 1000)\np := count([1 | r[_]; r[_]; r[_]])'
    expectError(() => evalP(text, { maxSteps: 200_000 }), 'eval_limit_error', /step/)
  })

  test('an endless cross product hits the time bound', () => {
    const text = 'package bad\nr := numbers.range(1, 1000)\np := count([1 | r[_]; r[_]; r[_]])'
    expectError(() => evalP(text, { timeoutMs: 200, maxSteps: Number.MAX_SAFE_INTEGER }), 'eval_limit_error', /time/)
  })

  test('a builtin asked for a huge result is stopped by the bounds', () => {
    expectError(
      () => evalP('package bad\np := count(numbers.range(1, 100000000))', { maxSteps: 1_000_000 }),
      'eval_limit_error',
      /./,
    )
  })

  test('deep rule nesting hits the depth bound instead of overflowing the stack', () => {
    const rules = ['package bad', 'p := q0']
    for (let i = 0; i < 3000; i++) rules.push(`q${i} := q${i + 1}`)
    rules.push('q3000 := 1')
    expectError(() => evalP(rules.join('\n')), 'eval_limit_error', /depth|stack/)
  })

  test('a deeply nested input is refused cleanly by walk', () => {
    let v: Value = []
    for (let i = 0; i < 100_000; i++) v = [v]
    expectError(() => evalP('package bad\np := count([x | walk(input, x)])', { input: v }), 'eval_limit_error', /./)
  })

  test('a deeply nested JS value is refused at conversion', () => {
    let v: unknown = []
    for (let i = 0; i < 1_000_000; i++) v = [v]
    expectError(() => fromJS(v), 'invalid_argument', /nested too deeply/)
  })

  test('test.sleep cannot block past the time bound', () => {
    expectError(() => evalP('package bad\np if test.sleep("1h")', { timeoutMs: 100 }), 'eval_limit_error', /time/)
  })

  test('a large input is evaluated', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => ({ i }))
    const p = evalP('package bad\np := count([x | x := input[_].i; x >= 10])', { input: fromJS(rows) })
    assert.equal(p, 199_990)
  })
})
