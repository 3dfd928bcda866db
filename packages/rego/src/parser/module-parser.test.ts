import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Module } from '../ast/ast.ts'
import { RegoError } from '../errors.ts'
import { sketchTerm } from './ast-sketch.ts'
import { parseModule, parseQuery, parseTerm } from './index.ts'

function parseError(text: string, options: Parameters<typeof parseModule>[2] = {}): string {
  try {
    parseModule('m.rego', text, options)
  } catch (e) {
    assert.ok(e instanceof RegoError)
    assert.equal(e.code, 'rego_parse_error')
    return e.toString()
  }
  assert.fail(`no error for ${text}`)
}

const imports = (m: Module): string[] =>
  m.imports.map((i) => `${sketchTerm(i.path)}${i.alias === undefined ? '' : ` as ${i.alias}`}`)

describe('packages', () => {
  it('reads dotted and bracketed package paths', () => {
    assert.deepEqual(parseModule('m', 'package a').package, ['a'])
    assert.deepEqual(parseModule('m', 'package a.b.c').package, ['a', 'b', 'c'])
    assert.deepEqual(parseModule('m', 'package a["b-c"].d').package, ['a', 'b-c', 'd'])
    assert.deepEqual(parseModule('m', 'package a.in.every').package, ['a', 'in', 'every'])
    assert.deepEqual(parseModule('m', 'package every.x').package, ['every', 'x'])
  })

  it('rejects bad package statements', () => {
    assert.equal(parseError(''), 'm.rego:1: rego_parse_error: empty module')
    assert.equal(parseError('# only a comment\n'), 'm.rego:1: rego_parse_error: empty module')
    assert.match(parseError('p := 1'), /^m.rego:1: rego_parse_error: package expected$/)
    assert.match(parseError('package a\npackage b'), /m.rego:2: rego_parse_error: unexpected package/)
    assert.match(parseError('package a[1]'), /unexpected number token: expecting string/)
    assert.match(parseError('package 1'), /unexpected number token/)
    assert.match(parseError('package'), /unexpected eof token/)
  })
})

describe('imports', () => {
  it('reads import paths and aliases', () => {
    const m = parseModule(
      'm',
      'package p\nimport data.x.y as z\nimport input.a\nimport input\nimport data.a["b"]\nimport future.keywords.in\nimport rego.v1',
    )
    assert.deepEqual(imports(m), [
      'ref(data, "x", "y") as z',
      'ref(input, "a")',
      'input',
      'ref(data, "a", "b")',
      'ref(future, "keywords", "in")',
      'ref(rego, "v1")',
    ])
    assert.deepEqual(m.imports[0]!.loc, { file: 'm', row: 2, col: 1 })
  })

  it('accepts imports after rules, as OPA does', () => {
    const m = parseModule('m', 'package p\nq := 1\nimport data.x', { regoVersion: 0 })
    assert.equal(m.imports.length, 1)
    assert.equal(m.rules.length, 1)
  })

  it('rejects bad imports', () => {
    assert.match(
      parseError('package p\nimport foo.bar'),
      /m.rego:2: rego_parse_error: unexpected import path, must begin with one of: {data, future, input, rego}, got: foo/,
    )
    assert.match(parseError('package p\nimport data[x]'), /unexpected var token: expecting string/)
    assert.match(parseError('package p\nimport data.x as 1'), /unexpected number token: expected var/)
    assert.match(parseError('package p\nimport data.x as input'), /expected var/)
    assert.match(
      parseError('package p\nimport data.foo.in'),
      /unexpected import path, must not end with a keyword, got: in/,
    )
    assert.match(
      parseError('package p\nimport future.keywords.foo'),
      /unexpected keyword, must be one of \[contains every if in\]/,
    )
    assert.match(parseError('package p\nimport future.foo'), /invalid import, must be `future.keywords`/)
    assert.match(parseError('package p\nimport future.keywords as k'), /`future` imports cannot be aliased/)
    assert.match(parseError('package p\nimport rego.v2'), /invalid import `rego.v2`, must be `rego.v1`/)
    assert.match(parseError('package p\nimport rego.v1 as r', { regoVersion: 0 }), /`rego` imports cannot be aliased/)
  })

  it('allows keyword-ending paths in v0 where they are names', () => {
    const m = parseModule('m', 'package p\nimport data.foo.in', { regoVersion: 0 })
    assert.deepEqual(imports(m), ['ref(data, "foo", "in")'])
  })

  it('enables future keywords from the import on, in v0', () => {
    assert.match(parseError('package p\np { 1 in [1] }', { regoVersion: 0 }), /unexpected identifier token/)
    const m = parseModule('m', 'package p\nimport future.keywords.every\np { every x in [1] { x } }', {
      regoVersion: 0,
    })
    assert.equal(m.regoVersion, 0)
    assert.equal(m.rules.length, 1)
  })
})

describe('modules', () => {
  it('records the Rego version used', () => {
    assert.equal(parseModule('m', 'package p').regoVersion, 1)
    assert.equal(parseModule('m', 'package p', { regoVersion: 0 }).regoVersion, 0)
    assert.equal(parseModule('m', 'package p\nimport rego.v1', { regoVersion: 0 }).regoVersion, 1)
  })

  it('keeps comments for METADATA blocks', () => {
    const m = parseModule('m', '# METADATA\n# title: x\npackage p # trailing\r\np := 1 #\n')
    assert.deepEqual(
      m.comments.map((c) => [c.text, c.loc.row, c.loc.col]),
      [
        [' METADATA', 1, 1],
        [' title: x', 2, 1],
        [' trailing', 3, 11],
        ['', 4, 8],
      ],
    )
  })

  it('accepts a byte-order mark, CRLF line ends and trailing NULs', () => {
    const m = parseModule('m', '\ufeffpackage p\r\n\r\np := 1\r\nq if {\r\n  p\r\n}\r\n\u0000\u0000')
    assert.equal(m.rules.length, 2)
    assert.deepEqual(m.rules[1]!.loc, { file: 'm', row: 4, col: 1 })
    assert.match(parseError('package p\np := 1\u0000\nq := 2'), /illegal null character/)
    assert.match(parseError('package p\np := \ufeff1'), /illegal byte-order mark/)
  })

  it('reports every statement error and every v1 check error together', () => {
    const text = 'package p\nx\np { true }\n"s"'
    assert.equal(
      parseError(text),
      [
        '3 errors occurred:',
        'm.rego:2: rego_parse_error: var cannot be used for rule name',
        'm.rego:4: rego_parse_error: string cannot be used for rule name',
        'm.rego:3: rego_parse_error: `if` keyword is required before rule body',
      ].join('\n'),
    )
  })
})

describe('limits', () => {
  it('rejects long lines and sources', () => {
    assert.match(
      parseError('package p\n\np := "' + 'x'.repeat(100) + '"', { maxLineLength: 50 }),
      /m.rego:3: rego_parse_error: line 3 is too long: 107 characters exceeds the limit of 50/,
    )
    assert.match(
      parseError('package p\np := 1', { maxSourceLength: 10 }),
      /source is too long: 16 characters exceeds the limit of 10/,
    )
    assert.equal(parseModule('m', 'package p\np := 1', { maxSourceLength: 16, maxLineLength: 9 }).rules.length, 1)
  })

  it('bounds nesting depth without overflowing the stack', () => {
    const wide = { maxLineLength: 1_000_000 }
    const deep = 'package p\np := ' + '['.repeat(100_000) + ']'.repeat(100_000)
    assert.match(parseError(deep, wide), /max parsing recursion depth exceeded/)
    const refs = 'package p\np := ' + 'a['.repeat(100_000) + '1' + ']'.repeat(100_000)
    assert.match(parseError(refs, wide), /max parsing recursion depth exceeded/)
    const parens = 'package p\np := ' + '('.repeat(100_000) + '1' + ')'.repeat(100_000)
    assert.match(parseError(parens, wide), /max parsing recursion depth exceeded/)
    const compr = 'package p\np := ' + '[x | '.repeat(10_000) + 'true' + ']'.repeat(10_000)
    assert.match(parseError(compr, wide), /max parsing recursion depth exceeded/)
    assert.match(parseError('package p\np := [[[1]]]', { maxDepth: 3 }), /max parsing recursion depth exceeded/)
    assert.throws(() => parseQuery('[\n'.repeat(100_000)), /max parsing recursion depth exceeded/)
    assert.throws(() => parseTerm('{\n'.repeat(100_000)), /max parsing recursion depth exceeded/)
  })

  it('turns a stack overflow into a parse error when the depth limit is lifted', () => {
    const deep = 'package p\np := ' + '[\n'.repeat(200_000)
    assert.match(parseError(deep, { maxDepth: 1e9 }), /max parsing recursion depth exceeded/)
  })

  it('parses nesting within the limit', () => {
    const nested = 'package p\np := ' + '['.repeat(300) + ']'.repeat(300)
    assert.equal(parseModule('m', nested).rules.length, 1)
  })

  it('parses a large object literal', () => {
    const entries = Array.from({ length: 20_000 }, (_, i) => `  "k${i}": {"a": [${i}, "${i}"], "b": null}`)
    const m = parseModule('m', `package p\npolicy_data := {\n${entries.join(',\n')}\n}\n`)
    const value = m.rules[0]!.head.value
    assert.equal(value?.type, 'object')
    assert.equal(value.entries.length, 20_000)
  })
})
