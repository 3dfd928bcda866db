import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { RegoError } from '../errors.ts'
import { sketchRule } from './ast-sketch.ts'
import { parseModule } from './index.ts'

/** The rules of `package p` + `source`, sketched. */
function rules(source: string, regoVersion: 0 | 1 = 1): string[] {
  return parseModule('m.rego', `package p\n${source}`, { regoVersion }).rules.map(sketchRule)
}
const v0 = (source: string): string[] => rules(source, 0)

function parseError(source: string, regoVersion: 0 | 1 = 1): string {
  try {
    parseModule('m.rego', `package p\n${source}`, { regoVersion })
  } catch (e) {
    assert.ok(e instanceof RegoError)
    assert.equal(e.code, 'rego_parse_error')
    return e.toString()
  }
  assert.fail(`no error for ${source}`)
}

describe('v1 rules', () => {
  it('parses complete rules with and without bodies', () => {
    assert.deepEqual(rules('p := 1'), ['[p] := 1 {  }'])
    assert.deepEqual(rules('p = 1'), ['[p] = 1 {  }'])
    assert.deepEqual(rules('p := {"a": [1, 2]}'), ['[p] := {"a": [1, 2]} {  }'])
    assert.deepEqual(rules('p if { x }'), ['[p] { x }'])
    assert.deepEqual(rules('p if x > 1'), ['[p] { gt(x, 1) }'])
    assert.deepEqual(rules('p := 2 if { x\n y }'), ['[p] := 2 { x; y }'])
    assert.deepEqual(rules('p := y + 1 if y := 2'), ['[p] := plus(y, 1) { y := 2 }'])
  })

  it('reads `if {` as a body unless the braces hold something other than a set literal', () => {
    assert.deepEqual(rules('p if {"a": 1}'), ['[p] { {"a": 1} }'])
    assert.deepEqual(rules('p if {x | x := 1}'), ['[p] { {x | x := 1} }'])
    assert.deepEqual(rules('p if {}'), ['[p] { {} }'])
    assert.deepEqual(rules('p if { }'), ['[p] { {} }'])
    assert.deepEqual(rules('p if { a } { b }'), ['[p] { a }', '[p] { b }'])
  })

  it('parses functions', () => {
    assert.deepEqual(rules('f(x, y) := z if { z := x + y }'), ['[f](x, y) := z { z := plus(x, y) }'])
    assert.deepEqual(rules('f(x) := x'), ['[f](x) := x {  }'])
    assert.deepEqual(rules('f(x) if x > 1'), ['[f](x) { gt(x, 1) }'])
    assert.deepEqual(rules('a.b.f(x) := 1'), ['[a, "b", "f"](x) := 1 {  }'])
    assert.deepEqual(rules('f(_) := 1 if true'), ['[f](_) := 1 { true }'])
  })

  it('parses multi-value rules', () => {
    assert.deepEqual(rules('p contains x if { x := 1 }'), ['[p] contains x { x := 1 }'])
    assert.deepEqual(rules('p contains "a"'), ['[p] contains "a" {  }'])
    assert.deepEqual(rules('a.b.c contains x if some x in xs'), ['[a, "b", "c"] contains x { some x in xs }'])
  })

  it('parses ref heads', () => {
    assert.deepEqual(rules('a.b.c := 1'), ['[a, "b", "c"] := 1 {  }'])
    assert.deepEqual(rules('a.b[x] := y if { y := x }'), ['[a, "b", x] := y { y := x }'])
    assert.deepEqual(rules('a["b-c"].d := 1'), ['[a, "b-c", "d"] := 1 {  }'])
    assert.deepEqual(rules('p[x] if { x := 1 }'), ['[p, x] { x := 1 }'])
    assert.deepEqual(rules('p[x] := 2 if { x := 1 }'), ['[p, x] := 2 { x := 1 }'])
    assert.deepEqual(rules('p.q if true'), ['[p, "q"] { true }'])
    assert.deepEqual(rules('p [x] := 1 if true'), ['[p, x] := 1 { true }'])
  })

  it('parses default rules', () => {
    assert.deepEqual(rules('default p := 1'), ['default [p] := 1 {  }'])
    assert.deepEqual(rules('default p = false'), ['default [p] = false {  }'])
    assert.deepEqual(rules('default f(_) := 1'), ['default [f](_) := 1 {  }'])
    assert.deepEqual(rules('default a.b.c := {"x": [1]}'), ['default [a, "b", "c"] := {"x": [1]} {  }'])
    assert.deepEqual(rules('default p := [x | x := 1]'), ['default [p] := [x | x := 1] {  }'])
    assert.deepEqual(rules('default p'), ['default [p] {  }'])
  })

  it('parses else chains', () => {
    assert.deepEqual(rules('p := 1 if { a } else := 2 if { b } else := 3'), [
      '[p] := 1 { a } else = 2 { b } else = 3 {  }',
    ])
    assert.deepEqual(rules('p := 1 if a else := 2 if b'), ['[p] := 1 { a } else = 2 { b }'])
    assert.deepEqual(rules('f(x) := 1 if x > 0\nelse := 0'), ['[f](x) := 1 { gt(x, 0) } else = 0 {  }'])
    assert.deepEqual(rules('p if { a } else if { b }'), ['[p] { a } else { b }'])
  })

  it('parses keywords as ref heads and as rule names where OPA does', () => {
    assert.deepEqual(rules('else.x.y := 1'), ['[else, "x", "y"] := 1 {  }'])
    assert.deepEqual(rules('p := input.in.if'), ['[p] := ref(input, "in", "if") {  }'])
  })

  it('locates rules, heads and bodies', () => {
    const m = parseModule('m.rego', 'package p\n\n  default q := 1\nr if {\n  x\n}')
    assert.deepEqual(m.rules[0]!.loc, { file: 'm.rego', row: 3, col: 3 })
    assert.deepEqual(m.rules[0]!.head.loc, { file: 'm.rego', row: 3, col: 11 })
    assert.deepEqual(m.rules[1]!.loc, { file: 'm.rego', row: 4, col: 1 })
    assert.deepEqual(m.rules[1]!.body[0]!.loc, { file: 'm.rego', row: 5, col: 3 })
  })
})

describe('v0 rules', () => {
  it('parses bodies without `if`', () => {
    assert.deepEqual(v0('p { x }'), ['[p] { x }'])
    assert.deepEqual(v0('p = 1 { x }'), ['[p] = 1 { x }'])
    assert.deepEqual(v0('f(x) { x }'), ['[f](x) { x }'])
    assert.deepEqual(v0('f(x) = y { y := x }'), ['[f](x) = y { y := x }'])
  })

  it('reads p[x] as a partial set and p[k] = v as a partial object', () => {
    assert.deepEqual(v0('p[x] { x := 1 }'), ['[p] contains x { x := 1 }'])
    assert.deepEqual(v0('p[k] = v { k := 1; v := 2 }'), ['[p, k] = v { k := 1; v := 2 }'])
    assert.deepEqual(v0('p.q { true }'), ['[p] contains "q" { true }'])
    assert.deepEqual(v0('p[x]'), ['[p] contains x {  }'])
    assert.deepEqual(v0('p.q'), ['[p] contains "q" {  }'])
    assert.deepEqual(v0('p[1] = 2'), ['[p, 1] = 2 {  }'])
    assert.deepEqual(v0('p.q.r[x] { x := 1 }'), ['[p, "q", "r", x] { x := 1 }'])
  })

  it('parses bare ref and call statements as rules, as OPA does', () => {
    assert.deepEqual(v0('a.b.c'), ['[a, "b", "c"] {  }'])
    assert.deepEqual(v0('f(1)'), ['[f](1) {  }'])
  })

  it('splits p { a } { b } into rules with the same head', () => {
    const m = parseModule('m.rego', 'package p\np = 1 { a } { b }\n{ c }', { regoVersion: 0 })
    assert.deepEqual(m.rules.map(sketchRule), ['[p] = 1 { a }', '[p] = 1 { b }', '[p] = 1 { c }'])
    assert.deepEqual(m.rules[1]!.loc, { file: 'm.rego', row: 2, col: 13 })
  })

  it('parses else without if', () => {
    assert.deepEqual(v0('p = 1 { a } else = 2 { b } else { c }'), ['[p] = 1 { a } else = 2 { b } else { c }'])
  })

  it('treats future keywords as names unless imported', () => {
    assert.deepEqual(v0('in = 1'), ['[in] = 1 {  }'])
    assert.deepEqual(v0('p { contains(x, "a") }'), ['[p] { contains(x, "a") }'])
    assert.deepEqual(v0('import future.keywords.in\np { 1 in [1] }'), ['[p] { internal.member_2(1, [1]) }'])
    assert.deepEqual(v0('import future.keywords.every\np { every x in [1] { x } }'), ['[p] { every x in [1] { x } }'])
    assert.deepEqual(v0('import future.keywords\np contains x if { x := 1 }'), ['[p] contains x { x := 1 }'])
    assert.deepEqual(v0('import future.keywords.if\np[x] if x := 1'), ['[p, x] { x := 1 }'])
    assert.deepEqual(v0('import future.keywords.contains\np contains 1'), ['[p] contains 1 {  }'])
  })

  it('parses a v0 module importing rego.v1 with the v1 rules', () => {
    const m = parseModule('m.rego', 'package p\nimport rego.v1\np contains x if x := 1', { regoVersion: 0 })
    assert.equal(m.regoVersion, 1)
    assert.deepEqual(m.rules.map(sketchRule), ['[p] contains x { x := 1 }'])
    assert.match(parseError('import rego.v1\np { true }', 0), /`if` keyword is required before rule body/)
  })
})

describe('rule errors', () => {
  it('requires v1 keywords', () => {
    assert.equal(parseError('p { true }'), 'm.rego:2: rego_parse_error: `if` keyword is required before rule body')
    assert.match(parseError('f(x) { true }'), /`if` keyword is required before function body/)
    assert.match(
      parseError('p[x] { x := 1 }'),
      /2 errors occurred:\nm.rego:2: rego_parse_error: `if` keyword is required before rule body\nm.rego:2: rego_parse_error: `contains` keyword is required for partial set rules/,
    )
    assert.match(parseError('p.q'), /`contains` keyword is required for partial set rules/)
    assert.match(parseError('a.b.c'), /rule must have value assignment and\/or body declaration/)
    assert.match(parseError('contains := 1'), /contains keyword cannot be used for rule name/)
    assert.match(parseError('else.x := 1'), /else keyword cannot be used for rule name/)
    assert.match(parseError('p := 1 { true }'), /`if` keyword is required before rule body/)
  })

  it('checks else branches in v1 only when neither the rule nor the branch has `if`', () => {
    assert.deepEqual(rules('p := 1 if { a } else := 2 { b }'), ['[p] := 1 { a } else = 2 { b }'])
    assert.match(parseError('p := 1 { a } else := 2 if { b }'), /`if` keyword is required before rule body/)
  })

  it('rejects statements that cannot be rules', () => {
    assert.match(parseError('x'), /m.rego:2: rego_parse_error: var cannot be used for rule name/)
    assert.match(parseError('1'), /number cannot be used for rule name/)
    assert.match(parseError('"a" = 1'), /string cannot be used for rule name/)
    assert.match(parseError('input'), /refs cannot be used for rule head/)
    assert.match(parseError('not p'), /negated expressions cannot be used for rule head/)
    assert.match(parseError('p := 1 with input as 2'), /expressions using with keyword cannot be used for rule head/)
    assert.match(parseError('p := 1; q := 2'), /multiple expressions cannot be used for rule head/)
    assert.match(parseError('some x'), /'some' declarations cannot be used for rule head/)
    assert.match(parseError('1 == 1'), /rule name conflicts with built-in function/)
    assert.match(parseError('f()'), /rule argument list must take at least one argument/)
    assert.match(parseError('[1][0] = 1'), /invalid rule head: \[1\]\[0\]/)
  })

  it('reports head syntax errors', () => {
    assert.match(parseError('p + 1'), /unexpected plus token/)
    assert.match(parseError('p == 1'), /unexpected equal token/)
    assert.match(
      parseError('f(x) contains 1'),
      /the contains keyword can only be used with multi-value rule definitions \(e.g., f contains <VALUE> { ... }\)/,
    )
    assert.match(parseError('p := '), /unexpected eof token/)
    assert.match(parseError('p if'), /unexpected eof token/)
    assert.match(parseError('p if {'), /unexpected eof token/)
    assert.match(parseError('p if { 1, 2 }'), /unexpected , token: expected \\n or ; or }/)
    assert.match(parseError('p := 1 if { a } else { }'), /found empty body/)
    assert.match(parseError('p := 1 if { a } else'), /expected else value term or rule body/)
    assert.match(parseError('p := 1 if { a } else := 2 if'), /rule body expected/)
    assert.match(
      parseError('p[x] := 1 if { x := 1 } else := 2'),
      /else keyword cannot be used on rules with variables in head/,
    )
    assert.match(
      parseError('p contains 1 if { true } else := 2', 1),
      /else keyword cannot be used on multi-value rules/,
    )
    assert.match(parseError('p = 1 { a } else = 2 { b } { c }', 0), /expected else keyword/)
    assert.match(parseError('p if { a b }'), /unexpected identifier token: expected \\n or ; or }/)
  })

  it('validates default rules', () => {
    assert.match(parseError('default p[x]'), /m.rego:2: rego_parse_error: illegal default rule \(must have a value\)/)
    assert.match(parseError('default p := x'), /illegal default rule \(value cannot contain var\)/)
    assert.match(parseError('default p := [input.x]'), /illegal default rule \(value cannot contain ref\)/)
    assert.match(parseError('default p := count([])'), /illegal default rule \(value cannot contain call\)/)
    assert.match(parseError('default f(1) := 1'), /illegal default rule \(arguments cannot contain number\)/)
    assert.match(parseError('default f(x, x) := 1'), /illegal default rule \(arguments cannot be repeated x\)/)
    assert.match(parseError('default := 1'), /unexpected default keyword/)
  })
})
