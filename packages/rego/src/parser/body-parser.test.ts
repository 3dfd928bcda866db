import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { RegoError } from '../errors.ts'
import { sketchBody } from './ast-sketch.ts'
import { parseQuery } from './index.ts'

const query = (text: string, regoVersion: 0 | 1 = 1): string => sketchBody(parseQuery(text, { regoVersion }))

function parseError(text: string, regoVersion: 0 | 1 = 1): string {
  try {
    parseQuery(text, { regoVersion, file: 'q' })
  } catch (e) {
    assert.ok(e instanceof RegoError)
    assert.equal(e.code, 'rego_parse_error')
    return e.toString()
  }
  assert.fail(`no error for ${text}`)
}

describe('query bodies', () => {
  it('separates expressions by `;` and newlines', () => {
    assert.equal(query('a; b\nc'), 'a; b; c')
    assert.equal(query('a\n\n  b  # comment\n'), 'a; b')
    assert.equal(query(''), '')
  })

  it('reads `=` as unification and `:=` as assignment', () => {
    assert.equal(query('x = 1'), 'x = 1')
    assert.equal(query('x := y + 1'), 'x := plus(y, 1)')
    assert.equal(query('[a, b] := [1, 2]'), '[a, b] := [1, 2]')
    assert.equal(query('data.test.p = x'), 'ref(data, "test", "p") = x')
  })

  it('parses not, some and every', () => {
    assert.equal(query('not x'), 'not x')
    assert.equal(query('not f(x) = 1'), 'not f(x) = 1')
    assert.equal(query('some x, y; x = y'), 'some x, y; x = y')
    assert.equal(query('some x in xs'), 'some x in xs')
    assert.equal(query('some k, v in {"a": 1}'), 'some k, v in {"a": 1}')
    assert.equal(query('every x in xs { x > 0 }'), 'every x in xs { gt(x, 0) }')
    assert.equal(query('every k, v in o {\n k != v\n v\n}'), 'every k, v in o { neq(k, v); v }')
  })

  it('parses with modifiers', () => {
    assert.equal(query('p with input as 1'), 'p with input as 1')
    assert.equal(
      query('data.p with input.a.b as {"x": 1} with data.q as 2 with count as f'),
      'ref(data, "p") with ref(input, "a", "b") as {"x": 1} with ref(data, "q") as 2 with count as f',
    )
    assert.equal(query('not p with input as x + 1'), 'not p with input as plus(x, 1)')
    assert.equal(query('some x in xs with input as 1'), 'some x in xs with input as 1')
    assert.equal(query('every x in xs { x } with input as 1'), 'every x in xs { x } with input as 1')
  })

  it('reads a keyword that starts a ref as a name', () => {
    assert.equal(query('not.x = 1'), 'ref(not, "x") = 1')
    assert.equal(query('every[0]'), 'ref(every, 0)')
  })

  it('allows `in` and `every` in v0 queries', () => {
    assert.equal(query('x in xs', 0), 'internal.member_2(x, xs)')
    assert.equal(query('every x in xs { x }', 0), 'every x in xs { x }')
    assert.equal(query('if := 1', 0), 'if := 1')
    assert.equal(query('contains(x, "a")'), 'contains(x, "a")')
  })

  it('locates expressions at their first token, `not` included', () => {
    const body = parseQuery('a\n  not b', { file: 'f' })
    assert.deepEqual(body[1]!.loc, { file: 'f', row: 2, col: 3 })
    assert.equal(body[1]!.negated, true)
  })
})

describe('query errors', () => {
  it('reports unexpected tokens as OPA does', () => {
    assert.match(parseError('x := '), /^q:1: rego_parse_error: unexpected eof token$/)
    assert.match(parseError('x := )'), /unexpected \) token/)
    assert.match(parseError('x := [1 2]'), /unexpected number token: expected "," or "\]"/)
    assert.match(parseError('x := {"a" 1}'), /unexpected number token: non-terminated set/)
    assert.match(parseError('x := {"a": 1 2}'), /unexpected number token: non-terminated object/)
    assert.match(parseError('x := {"a": 1, 2}'), /unexpected } token: expected ":"/)
    assert.match(parseError('x := (1'), /non-terminated expression/)
    assert.match(parseError('x := a.1'), /unexpected number token: expected identifier/)
    assert.match(parseError('x := a[1'), /unexpected eof token: expected \]/)
    assert.match(parseError('x := -y'), /unexpected identifier token: expected number/)
    assert.match(parseError('x := if'), /unexpected if keyword/)
    assert.match(parseError('x := "a"[0]'), /illegal ref \(head cannot be string\)/)
    assert.match(parseError('x := a[x](1)'), /invalid function name a\[x\]/)
  })

  it('rejects misuse of some, every, not and with', () => {
    assert.match(parseError('not some x'), /unexpected some keyword: illegal negation of 'some'/)
    assert.match(parseError('not every x in xs { x }'), /illegal negation of 'every'/)
    assert.match(parseError('some 1'), /unexpected number token: expected var/)
    assert.match(parseError('some f(x)'), /expected `x in xs` or `x, y in xs` expression/)
    assert.match(parseError('every x { x }'), /expected `x\[, y\] in xs { ... }` expression/)
    assert.match(parseError('every 1 in xs { x }'), /expected value to be a variable/)
    assert.match(parseError('every [k], v in xs { x }'), /expected key to be a variable/)
    assert.match(parseError('every x in xs'), /unexpected eof token: missing body/)
    assert.match(parseError('every x in xs {}'), /found empty body/)
    assert.match(parseError('p with 1 as 2'), /unexpected number token: expected ident/)
    assert.match(parseError('p with f(x) as 2'), /expected with target path/)
    assert.match(parseError('p with input 2'), /unexpected number token: expected as keyword/)
  })

  it('reports lexical errors', () => {
    assert.match(parseError('x := "abc'), /non-terminated string/)
    assert.match(parseError('x := "a\nb"'), /non-terminated string/)
    assert.match(parseError('x := `abc'), /non-terminated string/)
    assert.match(parseError('x := "\\q"'), /illegal escape sequence/)
    assert.match(parseError('x := "\\u12"'), /non-terminated string/)
    assert.match(parseError('x := "\\u12x"'), /illegal string literal/)
    assert.match(parseError('x := "\\uzzzz"'), /illegal string literal: "\\uzzzz"/)
    assert.match(parseError('x := "a\t\\n"'), /illegal string literal/)
    assert.match(parseError('x := 1.'), /expected fraction/)
    assert.match(parseError('x := 1e'), /expected exponent/)
    assert.match(parseError('x := 12ab'), /illegal number format/)
    assert.match(parseError('x := 01'), /expected number without leading zero/)
    assert.match(parseError('x := 1e99999'), /number too big/)
    assert.match(parseError('x := !y'), /illegal ! character/)
    assert.match(parseError('x := $y'), /illegal \$ character/)
    assert.match(parseError('x := @'), /illegal token/)
    assert.match(parseError('x := \u0000 + 1'), /illegal null character/)
  })

  it('locates errors', () => {
    assert.match(parseError('a\nb\n  c := ]'), /^q:3: /)
  })
})
