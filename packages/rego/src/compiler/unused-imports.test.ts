import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compileErrors } from './test-helpers.ts'

const strict = { strict: true } as const
const v0strict = { regoVersion: 0, strict: true } as const

describe('strict mode: unused imports', () => {
  it('reports imports of data and input that nothing refers to, as OPA writes them', () => {
    assert.deepEqual(compileErrors('package p\n\nimport input.foo\nimport data.bar as baz\n\nx := 1', strict), [
      '3:1 rego_compile_error: import input.foo unused',
      '4:1 rego_compile_error: import data.bar as baz unused',
    ])
    assert.deepEqual(compileErrors('package p\nimport data.foo\nx { true }', v0strict), [
      '2:1 rego_compile_error: import data.foo unused',
    ])
  })

  it('is off without strict mode', () => {
    assert.deepEqual(compileErrors('package p\nimport data.foo\nx := 1'), [])
  })

  it('ignores future and rego imports', () => {
    assert.deepEqual(compileErrors('package p\nimport future.keywords.in\nimport rego.v1\nx := 1', strict), [])
  })

  const uses: [where: string, text: string][] = [
    ['the body', 'r if foo.x == 1'],
    ['the head value', 'r := foo'],
    ['the head key', 'r contains foo'],
    ['a head reference', 'r[foo] := 1'],
    ['a comprehension', 'r := [x | x := foo[_]]'],
    ['an every domain', 'r if every x in foo { x }'],
    ['a some-in collection', 'r if { some x in foo; x }'],
    ['a with value', 'r if input.x with input as foo'],
    ['a reference key', 'r := input[foo]'],
    ['an else value', 'r := 1 if false else := foo'],
  ]
  for (const [where, rule] of uses) {
    it(`counts a use in ${where}`, () => {
      assert.deepEqual(compileErrors(`package p\nimport data.foo\n${rule}`, strict), [])
    })
  }

  it('counts a use as a function name', () => {
    assert.deepEqual(compileErrors('package p\nimport data.p as lib\nf(x) := x\nr := lib.f(1)', strict), [])
  })

  it('does not count names that are local: parameters and declared variables', () => {
    const unused = ['2:1 rego_compile_error: import data.foo unused']
    assert.deepEqual(compileErrors('package p\nimport data.foo\nf(foo) := foo', strict), unused)
    assert.deepEqual(compileErrors('package p\nimport data.foo\nr if { foo := 1; foo == 1 }', strict), unused)
    assert.deepEqual(compileErrors('package p\nimport data.foo\nr if { some foo; input[foo] }', strict), unused)
    assert.deepEqual(compileErrors('package p\nimport data.foo\nr := [foo | some foo in input]', strict), unused)
    assert.deepEqual(compileErrors('package p\nimport data.foo\nr if every foo in input { foo }', strict), unused)
  })

  it('counts a use of one of two imports of the same name for both, as OPA does', () => {
    const text = 'package p\nimport data.a.foo\nimport data.b.foo\nr { foo }'
    assert.deepEqual(compileErrors(text, v0strict), [
      '3:1 rego_compile_error: import must not shadow import data.a.foo',
    ])
  })
})
