import assert from 'node:assert/strict'
import { test } from 'node:test'
import { compile } from '../engine.ts'
import { fromJS } from '../value/json.ts'
import { errorText, run, value } from './test-helpers.ts'

test('complete rules, undefined vs false, not', () => {
  const m = `package t
p if { input.x > 1 }
q := false
r if { not input.missing }
s if { not q }`
  assert.deepEqual(run(m, 'data.t.p = x', { input: fromJS({ x: 2 }) }), [{ x: true }])
  assert.deepEqual(run(m, 'data.t.p = x', { input: fromJS({ x: 0 }) }), [])
  assert.deepEqual(run(m, 'data.t.q = x'), [{ x: false }])
  assert.deepEqual(run(m, 'data.t.r = x'), [{ x: true }])
  assert.deepEqual(run(m, 'data.t.s = x'), [{ x: true }])
})

test('reordering for safety and output arguments', () => {
  assert.deepEqual(run('package t', 'x > 1; x = 2'), [{ x: 2 }])
  assert.deepEqual(run('package t', 'count([1, 2, 3], n)'), [{ n: 3 }])
  assert.deepEqual(run('package t\nf(x) := x + 1', 'data.t.f(1, y)'), [{ y: 2 }])
})

test('unification both ways and iteration', () => {
  assert.deepEqual(run('package t', '[a, 1] = [2, b]'), [{ a: 2, b: 1 }])
  assert.deepEqual(run('package t', '{"a": x} = {"a": 5}'), [{ x: 5 }])
  assert.deepEqual(run('package t', 'xs := [1, 2]; xs[i] = v'), [
    { xs: [1, 2], i: 0, v: 1 },
    { xs: [1, 2], i: 1, v: 2 },
  ])
  assert.deepEqual(run('package t', 'some x in [3, 4]; x > 3'), [{ x: 4 }])
})

test('partial sets and objects are never undefined', () => {
  const m = `package t
s contains x if { some x in input.xs }
o[k] := v if { some k, v in input.o }`
  assert.deepEqual(value(m, 'data.t.s', { input: fromJS({ xs: [1, 2, 1] }) }), [1, 2])
  assert.deepEqual(value(m, 'data.t.s', { input: fromJS({}) }), [])
  assert.deepEqual(value(m, 'data.t.o', { input: fromJS({ o: { a: 1 } }) }), { a: 1 })
  assert.deepEqual(value(m, 'data.t.o', { input: fromJS({}) }), {})
})

test('conflicts', () => {
  const m = `package t
p := 1
p := 2 if { true }`
  assert.match(
    errorText(() => run(m, 'data.t.p = x')),
    /test-0.rego:\d+: eval_conflict_error: complete rules must not produce multiple outputs/,
  )
  const f = `package t
f(x) := 1
f(x) := 2`
  assert.match(
    errorText(() => run(f, 'data.t.f(1) = x')),
    /functions must not produce multiple outputs for same inputs/,
  )
  const o = `package t
o[k] := v if { some k, v in {"a": 1} }
o["a"] := 2`
  assert.match(
    errorText(() => run(o, 'data.t.o = x')),
    /object keys must be unique|conflict/,
  )
})

test('default, else and functions', () => {
  const m = `package t
default allow := false
allow if { input.ok }
g(x) := "big" if { x > 10 } else := "small"
default h(_) := 0
h(x) := x if { x > 1 }`
  assert.equal(value(m, 'data.t.allow', { input: fromJS({}) }), false)
  assert.equal(value(m, 'data.t.allow', { input: fromJS({ ok: true }) }), true)
  assert.equal(value(m, 'data.t.g(11)'), 'big')
  assert.equal(value(m, 'data.t.g(1)'), 'small')
  assert.equal(value(m, 'data.t.h(0)'), 0)
  assert.equal(value(m, 'data.t.h(5)'), 5)
})

test('comprehensions, every and undefined parts of composites', () => {
  assert.deepEqual(value('package t', '[x | some x in [1, 2, 3]; x > 1]'), [2, 3])
  assert.deepEqual(value('package t', '{x: y | some x, y in {"a": 1}}'), { a: 1 })
  assert.deepEqual(run('package t', 'every x in [1, 2] { x > 0 }'), [{}])
  assert.deepEqual(run('package t', 'every x in [1, 2] { x > 1 }'), [])
  assert.deepEqual(run('package t', 'x := {"a": input.missing}'), [])
})

test('with on input, data and functions', () => {
  const m = `package t
p := input.a
q := data.d.v
r := count([1])
f(x) := x
s := f(1)`
  assert.equal(value(m, 'data.t.p with input.a as 7'), 7)
  assert.equal(value(m, 'data.t.q with data.d.v as 3'), 3)
  assert.equal(value(m, 'data.t.r with count as 9'), 9)
  assert.equal(value(m, 'data.t.s with data.t.f as 4'), 4)
  assert.deepEqual(run(m, 'not data.t.p with input as {}'), [{}])
})

test('data enumerates rules and base documents', () => {
  const m = `package t
p := 1
q := 2`
  assert.deepEqual(run(m, 'data.t[k] = v', { data: fromJS({ t: { b: 3 } }) }), [
    { k: 'b', v: 3 },
    { k: 'p', v: 1 },
    { k: 'q', v: 2 },
  ])
  assert.deepEqual(value(m, 'data.t'), { p: 1, q: 2 })
})

test('ref heads merge into the package', () => {
  const m = `package t
a.b[x] := 1 if { some x in ["k"] }
a.c := 2`
  assert.deepEqual(value(m, 'data.t.a'), { b: { k: 1 }, c: 2 })
})

test('builtin errors: lax undefined, strict raised', () => {
  assert.deepEqual(run('package t', 'x := 1 / 0'), [])
  assert.match(
    errorText(() => run('package t', 'x := 1 / 0', { strictBuiltinErrors: true })),
    /eval_builtin_error: div: divide by zero/,
  )
})

test('print gathers lines and never fails', () => {
  const lines: string[] = []
  const r = run('package t', 'print("a", input.missing, {1}); x := 1', { print: (e) => lines.push(e.message) })
  assert.deepEqual(r, [{ x: 1 }])
  assert.deepEqual(lines, ['a <undefined> {1}'])
})

test('compile errors', () => {
  assert.match(
    errorText(() => run('package t\np if { x > 1 }', 'true')),
    /rego_unsafe_var_error: var x is unsafe/,
  )
  assert.match(
    errorText(() => run('package t\np if { q }\nq if { p }', 'true')),
    /rego_recursion_error: rule data.t.[pq] is recursive/,
  )
  assert.match(
    errorText(() => run('package t\np if { nope(1) }', 'true')),
    /rego_type_error: undefined function nope/,
  )
  assert.match(
    errorText(() => run('package t\np if { x := 1; x := 2 }', 'true')),
    /var x assigned above/,
  )
})

test('limits', () => {
  const m = `package t
f(x) := y if { y := f(x + 1) }`
  assert.match(
    errorText(() => compile([{ name: 'a.rego', text: m }])),
    /rego_recursion_error/,
  )
  assert.match(
    errorText(() => run('package t', 'x := [y | some y in numbers.range(1, 100000)]', { maxSteps: 1000 })),
    /eval_limit_error/,
  )
})

test('evalRule and invalid paths', () => {
  const p = compile([{ name: 'p.rego', text: 'package policy\nallow if { input.ok }' }])
  assert.equal(p.evalRule('data.policy.allow', { input: fromJS({ ok: true }) }), true)
  assert.equal(p.evalRule('data.policy.allow', { input: fromJS({}) }), undefined)
  assert.match(
    errorText(() => p.evalRule('data.policy.nope')),
    /invalid_argument: not a valid rule path/,
  )
})

test('host functions', () => {
  const p = compile([{ name: 'p.rego', text: 'package p\nv := ref_value("x")' }], {
    hostFunctions: [{ name: 'ref_value', arity: 1, fn: (args) => [args[0] ?? null] }],
  })
  assert.deepEqual(p.evalRule('data.p.v'), ['x'])
})

test('depth bound and JS stack exhaustion become eval_limit_error', () => {
  const lines = ['package t']
  for (let i = 0; i < 3000; i++) lines.push(`p${i} := p${i + 1} + 1`)
  lines.push('p3000 := 0')
  const m = lines.join('\n')
  assert.match(
    errorText(() => run(m, 'x := data.t.p0', { maxDepth: 100 })),
    /eval_limit_error: evaluation exceeded the maximum depth/,
  )
  assert.match(
    errorText(() => run(m, 'x := data.t.p0', { maxDepth: 1_000_000 })),
    /eval_limit_error/,
  )
})

test('set leaves of ref heads merge with other rules', () => {
  const m = `package t
p[q] contains r if { some q in ["a", "b"]; some r in ["a", "b"]; q != r }
p.b contains "foo"`
  assert.deepEqual(value(m, 'data.t.p'), { a: ['b'], b: ['a', 'foo'] })
})

test('a mock may call the function it replaces', () => {
  const m = `package t
mock_count("one") := 1
mock_count(x) := count(x) if { x != "one" }
p := s if {
  s := {count(n) | some n in {"one", "three"}} with count as mock_count
}`
  assert.deepEqual(value(m, 'data.t.p'), [1, 5])
})

test('base documents and rules share prefixes', () => {
  const m = `package a.b
r := 1`
  assert.deepEqual(value(m, 'data.a', { data: fromJS({ a: { c: 2 } }) }), { b: { r: 1 }, c: 2 })
  assert.deepEqual(run(m, 'data.a[k]', { data: fromJS({ a: { c: 2 } }) }), [{ k: 'b' }, { k: 'c' }])
})

test('comprehension variables are local unless bound outside first', () => {
  const m = `package t
xs := {"a", "b"}
p := x if {
  y := {x | xs[x]}
  x := count(y)
}`
  assert.equal(value(m, 'data.t.p'), 2)
})
