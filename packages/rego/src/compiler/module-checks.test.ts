import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compile } from '../engine.ts'
import { RegoError } from '../errors.ts'
import { fromJS } from '../value/json.ts'
import { compileErrors } from './test-helpers.ts'

const v0 = { regoVersion: 0 } as const
const v0strict = { regoVersion: 0, strict: true } as const
const v1strict = { regoVersion: 1, strict: true } as const

describe('root documents as argument names (always an error)', () => {
  it('rejects input and data as parameters, also inside array and object patterns', () => {
    const message = '2:1 rego_compile_error: args must not shadow input (use a different variable name)'
    assert.deepEqual(compileErrors('package p\nf(input) := 1'), [message])
    assert.deepEqual(compileErrors('package p\nf(input) = 1', v0), [message])
    assert.deepEqual(compileErrors('package p\nf([1, {"a": data}]) := 1'), [
      '2:1 rego_compile_error: args must not shadow data (use a different variable name)',
    ])
  })

  it('accepts other names, and input or data as the head of a reference', () => {
    assert.deepEqual(compileErrors('package p\nf(inputs, [d]) := [inputs, d]'), [])
    assert.deepEqual(compileErrors('package p\nf(x) := input.a[x]'), [])
  })
})

describe('root documents as rule or variable names (v1, or strict mode)', () => {
  it('rejects rules named input or data', () => {
    assert.deepEqual(compileErrors('package p\n\ninput := 1'), [
      '3:1 rego_compile_error: rules must not shadow input (use a different rule name)',
    ])
    assert.deepEqual(compileErrors('package p\n\ndata.x := 1'), [
      '3:1 rego_compile_error: rules must not shadow data (use a different rule name)',
    ])
    assert.deepEqual(compileErrors('package p\n\ninput = 1', v0strict), [
      '3:1 rego_compile_error: rules must not shadow input (use a different rule name)',
    ])
    assert.deepEqual(compileErrors('package p\n\ninput = 1', v0), [])
  })

  it('rejects variables assigned as input or data, in nested bodies too', () => {
    const message = 'rego_compile_error: variables must not shadow input (use a different variable name)'
    assert.deepEqual(compileErrors('package p\n\nr if {\n\tinput := 1\n\tinput == 1\n}'), [`4:2 ${message}`])
    assert.deepEqual(compileErrors('package p\n\nr := [x | input := 1; x := input]'), [`3:11 ${message}`])
    assert.deepEqual(compileErrors('package p\n\nr if every x in [1] { data := x; data }'), [
      '3:23 rego_compile_error: variables must not shadow data (use a different variable name)',
    ])
    assert.deepEqual(compileErrors('package p\n\nr { input := 1; input == 1 }', v0strict), [`3:5 ${message}`])
  })

  it('lets v0 modules shadow them without strict mode', () => {
    assert.deepEqual(compileErrors('package p\n\nr { input := 1; input == 1 }', v0), [])
    assert.equal(
      compile([{ name: 'p.rego', text: 'package p\nr { input := 1; input == 1 }' }], v0).evalRule('data.p.r'),
      true,
    )
  })

  it('accepts input and data in patterns and as reference heads', () => {
    assert.deepEqual(compileErrors('package p\n\nr if {\n\t[input2, _] := [input.a, data.b]\n\tinput2\n}'), [])
  })
})

describe('duplicate imports (v1, or strict mode)', () => {
  it('rejects a second import of the same name, naming the first as OPA writes it', () => {
    assert.deepEqual(compileErrors('package p\n\nimport input.foo\nimport data.foo\n\nx := 1 if foo'), [
      '4:1 rego_compile_error: import must not shadow import input.foo',
    ])
    assert.deepEqual(compileErrors('package p\nimport data.a["b-c"] as x\nimport data.x\n\ny := x'), [
      '3:1 rego_compile_error: import must not shadow import data.a["b-c"] as x',
    ])
    assert.deepEqual(compileErrors('package p\nimport future.keywords.in\nimport future.keywords.in'), [
      '3:1 rego_compile_error: import must not shadow import future.keywords["in"]',
    ])
  })

  it('lets a later import win in v0 without strict mode, and rejects it with', () => {
    const text = 'package p\nimport data.a.foo\nimport data.b.foo\nr { foo == 2 }'
    assert.deepEqual(compileErrors(text, v0), [])
    const policy = compile([{ name: 'p.rego', text }], v0)
    assert.equal(policy.evalRule('data.p.r', { data: fromJS({ a: { foo: 1 }, b: { foo: 2 } }) }), true)
    assert.deepEqual(compileErrors(text, v0strict), [
      '3:1 rego_compile_error: import must not shadow import data.a.foo',
    ])
  })

  it('accepts imports of different names', () => {
    assert.deepEqual(compileErrors('package p\nimport data.a.foo\nimport data.a.foo as bar\nx := [foo, bar]'), [])
  })
})

describe('deprecated builtins (v1, or strict mode)', () => {
  it('rejects calls of deprecated builtins in v1 modules, where the call is', () => {
    assert.deepEqual(compileErrors('package p\n\nx := any([true, false])'), [
      '3:6 rego_type_error: deprecated built-in function calls in expression: any',
    ])
    assert.deepEqual(compileErrors('package p\n\nr if {\n\tre_match("a", "a")\n}'), [
      '4:2 rego_type_error: deprecated built-in function calls in expression: re_match',
    ])
  })

  it('allows them in v0 modules unless strict', () => {
    const text = 'package p\n\nx := all([true, false])'
    assert.deepEqual(compileErrors(text, v0), [])
    assert.equal(compile([{ name: 'p.rego', text }], v0).evalRule('data.p.x'), false)
    assert.deepEqual(compileErrors(text, v0strict), [
      '3:6 rego_type_error: deprecated built-in function calls in expression: all',
    ])
  })

  it('allows them in queries, and lets v1 modules mock them', () => {
    const policy = compile([{ name: 'p.rego', text: 'package p\nr := 1' }], v1strict)
    const results = policy.prepareQuery('x := any([false, true])').eval()
    assert.equal(results[0]?.get('x'), true)
    assert.deepEqual(compileErrors('package p\nr if { count([1]) == 1 with any as true }'), [])
  })
})

describe('strict mode', () => {
  it('reports every error at once, the first as the error itself', () => {
    const text = 'package p\n\nimport data.unused\n\ninput := 1\n\nf(x) := 1\n\nr if { y := 2 }'
    try {
      compile([{ name: 'test.rego', text }], v1strict)
      assert.fail('expected compile errors')
    } catch (e) {
      assert.ok(e instanceof RegoError)
      assert.equal(e.code, 'rego_compile_error')
      assert.deepEqual(
        e.errors.map((x) => `${x.location?.file}:${x.location?.row}:${x.location?.col}: ${x.message}`),
        [
          'test.rego:3:1: import data.unused unused',
          'test.rego:5:1: rules must not shadow input (use a different rule name)',
          'test.rego:7:1: unused argument x. (hint: use _ (wildcard variable) instead)',
          'test.rego:9:8: assigned var y unused',
        ],
      )
      assert.match(String(e), /^4 errors occurred:\ntest\.rego:3: rego_compile_error: import data\.unused unused\n/)
    }
  })

  it('is off by default', () => {
    assert.deepEqual(compileErrors('package p\n\nimport data.unused\n\nf(x) := 1\n\nr if { y := 2 }'), [])
  })
})
