import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compileErrors } from './test-helpers.ts'

const strict = { strict: true } as const
const v0strict = { regoVersion: 0, strict: true } as const

function unusedVar(row: number, col: number, name: string): string {
  return `${row}:${col} rego_compile_error: assigned var ${name} unused`
}

function unusedArg(row: number, name: string): string {
  return `${row}:1 rego_compile_error: unused argument ${name}. (hint: use _ (wildcard variable) instead)`
}

describe('strict mode: unused local assignments', () => {
  it('reports a variable assigned and never referred to, at the assignment', () => {
    assert.deepEqual(compileErrors('package p\n\np if {\n\tx := 1\n}', strict), [unusedVar(4, 2, 'x')])
    assert.deepEqual(compileErrors('package p\n\np {\n\tx := 1\n\t[y, _] := [2, 3]\n}', v0strict), [
      unusedVar(4, 2, 'x'),
      unusedVar(5, 2, 'y'),
    ])
  })

  it('is off without strict mode', () => {
    assert.deepEqual(compileErrors('package p\n\np if {\n\tx := 1\n}'), [])
  })

  it('reports them in comprehensions, every bodies, else bodies and head comprehensions', () => {
    assert.deepEqual(compileErrors('package p\nr := [1 | x := 2]', strict), [unusedVar(2, 11, 'x')])
    assert.deepEqual(compileErrors('package p\nr if { y := [1 | x := 2]; y }', strict), [unusedVar(2, 18, 'x')])
    assert.deepEqual(compileErrors('package p\nr if every v in [1] { x := v }', strict), [unusedVar(2, 23, 'x')])
    assert.deepEqual(compileErrors('package p\nr := 1 if false else := 2 if { x := 3 }', strict), [
      unusedVar(2, 32, 'x'),
    ])
  })

  const uses: [where: string, text: string][] = [
    ['a later expression', 'r if { x := 1; x > 0 }'],
    ['the head value', 'r := x if { x := 1 }'],
    ['the head key', 'r contains x if { x := 1 }'],
    ['a head reference', 'r[x] := 1 if { x := "a" }'],
    ['a comprehension', 'r if { x := 1; count([y | y := x]) == 1 }'],
    ['a comprehension output', 'r := [x | x := 1]'],
    ['an object comprehension key', 'r := {x: 1 | x := "a"}'],
    ['an every body', 'r if { x := 1; every y in [1] { y == x } }'],
    ['a with value', 'r if { x := {}; input.a with input as x }'],
    ['a call argument', 'r if { x := "a"; startswith(x, "a") }'],
    ['a reference key', 'r if { x := "a"; input[x] }'],
  ]
  for (const [where, rule] of uses) {
    it(`counts a use in ${where}`, () => {
      assert.deepEqual(compileErrors(`package p\n${rule}`, strict), [])
    })
  }

  it('ignores the wildcard', () => {
    assert.deepEqual(compileErrors('package p\nr if { _ := 1; [_, y] := [1, 2]; y }', strict), [])
  })

  it('follows scopes: an inner declaration of the same name is another variable', () => {
    assert.deepEqual(compileErrors('package p\nr if { x := 1; y := [x | x := 2]; y }', strict), [unusedVar(2, 8, 'x')])
  })
})

describe('strict mode: unused function arguments', () => {
  it('reports a parameter that no body nor the head refers to, at the head', () => {
    assert.deepEqual(compileErrors('package p\n\nf(x, y) := 1 if { y > 0 }', strict), [unusedArg(3, 'x')])
    assert.deepEqual(compileErrors('package p\n\nf(x) := 1', strict), [unusedArg(3, 'x')])
    assert.deepEqual(compileErrors('package p\n\nf(x) = 1 { true }', v0strict), [unusedArg(3, 'x')])
  })

  it('is off without strict mode', () => {
    assert.deepEqual(compileErrors('package p\n\nf(x) := 1'), [])
  })

  it('counts uses in the head value, any else branch, and patterns', () => {
    assert.deepEqual(compileErrors('package p\nf(x) := x', strict), [])
    assert.deepEqual(compileErrors('package p\nf(x, y) := 1 if { x > 0 } else := y', strict), [])
    assert.deepEqual(compileErrors('package p\nf(x) := 1 if { false } else := 2 if { x }', strict), [])
    assert.deepEqual(compileErrors('package p\nf([a, b]) := a', strict), [unusedArg(2, 'b')])
  })

  it('takes each definition on its own', () => {
    const text = 'package p\nf(x, y) := y if x > 0\nf(x, y) := 2 if x <= 0'
    assert.deepEqual(compileErrors(text, strict), [unusedArg(3, 'y')])
  })

  it('accepts wildcards', () => {
    assert.deepEqual(compileErrors('package p\nf(_, [_, y]) := y', strict), [])
  })
})
