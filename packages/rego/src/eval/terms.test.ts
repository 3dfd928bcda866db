import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { BuiltinDef } from '../builtins/builtin.ts'
import { compile } from '../engine.ts'
import { fromJS } from '../value/json.ts'
import { toRegoText } from '../value/rego-text.ts'

// A term that turns out to have several values (`f(x)[_]`, `[f(x), xs[_]]`, ...) is first tried
// as a single value; its parts already evaluated then are not evaluated again.

const MODULE = `package p
f(x) := [x, x + 1] if print("f", x)
g(x) := {"a": x, "b": [x]} if print("g", x)
h(x, y) := x + y
o := {"k1": [1, 2], "k2": [3]}
`

function evalCounting(query: string): { results: string[]; calls: string[] } {
  const calls: string[] = []
  const policy = compile([{ name: 'p.rego', text: MODULE }])
  const results = policy
    .prepareQuery(query)
    .eval({
      input: fromJS({ a: [1, 2] }),
      data: fromJS({ d: [[0], [1], [2], [3], [4], [7, 8]] }),
      print: (e) => calls.push(e.message),
    })
    .map((m) => [...m].map(([k, v]) => `${k}=${toRegoText(v)}`).join(' '))
  return { results, calls }
}

describe('a multi-valued term evaluates each part once', () => {
  const cases: [query: string, results: string[]][] = [
    ['y := data.p.f(1)[_]', ['y=1', 'y=2']],
    ['data.p.f(2)[y]', ['y=0', 'y=1']],
    ['y := [data.p.f(3), input.a[_]]', ['y=[[3, 4], 1]', 'y=[[3, 4], 2]']],
    ['y := {data.p.f(4)[1], input.a[_]}', ['y={1, 5}', 'y={2, 5}']],
    ['y := {"x": data.p.f(5), input.a[_]: 1}', ['y={1: 1, "x": [5, 6]}', 'y={2: 1, "x": [5, 6]}']],
    ['y := {data.p.f(6)[0]: input.a[_]}', ['y={6: 1}', 'y={6: 2}']],
    ['y := data.p.h(data.p.f(7)[0], input.a[_])', ['y=8', 'y=9']],
    ['y := walk(data.p.f(8))', ['y=[[], [8, 9]]', 'y=[[0], 8]', 'y=[[1], 9]']],
    ['y := data.d[data.p.f(5)[0]][_]', ['y=7', 'y=8']],
    ['y := data.p.o[data.p.f(9)[k]]', []],
    ['y := data.p.f(data.p.f(10)[1])[_]', ['y=11', 'y=12']],
    ['y := data.p.g(11)[k][_]', ['k="b" y=11']],
    ['[y, _] := [data.p.f(12)[_], 1]', ['y=12', 'y=13']],
    ['y = data.p.f(13)[_]; y > 13', ['y=14']],
    ['data.p.f(14)[_] == 14', ['']],
    ['not data.p.f(15)[_] == 5', ['']],
    ['some y in data.p.f(16)', ['y=16', 'y=17']],
    ['every x in data.p.f(17) { x > 0 }', ['']],
    ['some y in data.p.g(22)[k]', ['k="b" y=22']],
    ['every x in data.p.g(23)[k] { x > 0 }', ['k="b"']],
    ['y := [z | z := data.p.f(18)[_]]', ['y=[18, 19]']],
    ['y := object.keys(data.p.g(19))[_]', ['y="a"', 'y="b"']],
    ['y := {k: v | some k, v in data.p.g(20)}[k]', ['k="a" y=20', 'k="b" y=[20]']],
  ]
  for (const [query, results] of cases) {
    test(query, () => {
      const r = evalCounting(query)
      assert.deepEqual(r.results, results)
      const distinct = new Set(r.calls)
      assert.equal(r.calls.length, distinct.size, `each call prints once: ${r.calls.join(', ')}`)
    })
  }

  test('a print operand with several values', () => {
    const r = evalCounting('print(data.p.f(21)[_])')
    assert.deepEqual(r.calls, ['f 21', '21', '22'])
  })

  test('a function that returns several values for its argument is called once', () => {
    let calls = 0
    const pair: BuiltinDef = {
      name: 'pair',
      arity: 1,
      fn: (args) => {
        calls++
        return [args[0] ?? null, args[0] ?? null]
      },
    }
    const policy = compile([{ name: 'p.rego', text: 'package p\nxs contains x if x := pair(pair(1)[0])[_]' }], {
      hostFunctions: [pair],
    })
    assert.equal(toRegoText(policy.evalRule('data.p.xs') ?? null), '{1}')
    assert.equal(calls, 2)
  })
})
