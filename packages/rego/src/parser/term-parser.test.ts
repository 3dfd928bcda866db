import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Term } from '../ast/ast.ts'
import { sketchExpr, sketchTerm } from './ast-sketch.ts'
import { parseQuery, parseTerm } from './index.ts'

/** The term of a one-expression query (calls included, which parseTerm rejects as OPA does). */
const term = (text: string): string => {
  const body = parseQuery(text)
  assert.equal(body.length, 1, `one expression in ${text}`)
  const kind = body[0]?.kind
  assert.equal(kind?.type, 'term')
  return sketchTerm(kind.term)
}
const expr = (text: string): string => {
  const body = parseQuery(text)
  assert.equal(body.length, 1, `one expression in ${text}`)
  return sketchExpr(body[0]!)
}
const number = (text: string): Term & { type: 'number' } => {
  const t = parseTerm(text)
  assert.equal(t.type, 'number')
  return t
}

describe('scalars', () => {
  it('parses null, booleans, strings and vars', () => {
    assert.deepEqual(parseTerm('null').type, 'null')
    assert.equal(term('true'), 'true')
    assert.equal(term('false'), 'false')
    assert.equal(term('"a b"'), '"a b"')
    assert.equal(term('x'), 'x')
    assert.equal(term('_'), '_')
  })

  it('keeps number literals as written and reads their value', () => {
    assert.equal(number('1.0').text, '1.0')
    assert.equal(number('1.0').value, 1)
    assert.equal(number('1e6').value, 1e6)
    assert.equal(number('-1').value, -1)
    assert.equal(number('-1').text, '-1')
    assert.equal(number('- 2').value, -2)
    assert.equal(number('.5').value, 0.5)
    assert.equal(number('.5').text, '.5')
    assert.equal(number('-.5').value, -0.5)
    assert.equal(number('0e5').value, 0)
    assert.equal(number('9223372036854775807').value, 9223372036854775807n)
    assert.equal(number('1.5893857701234e+09').value, 1589385770.1234)
    assert.equal(number('2e308').value, 2n * 10n ** 308n)
    assert.equal(number('-0').value, 0)
    assert.ok(!Object.is(number('-0').value, -0))
  })

  it('decodes string escapes, surrogate pairs and raw strings', () => {
    assert.equal(parseTerm('"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t"').type, 'string')
    const s = (text: string): string => {
      const t = parseTerm(text)
      assert.equal(t.type, 'string')
      return t.value
    }
    assert.equal(s('"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t"'), 'a"b\\c/d\b\f\n\r\t')
    assert.equal(s('"\\u00e9\\u0041"'), 'éA')
    assert.equal(s('"\\ud83d\\ude00"'), '😀')
    assert.equal(s('"\\ud83d"'), '\ufffd')
    assert.equal(s('"😀 raw"'), '😀 raw')
    assert.equal(s('`a\\n"b`'), 'a\\n"b')
    assert.equal(s('`line1\nline2`'), 'line1\nline2')
    assert.equal(s('"tab\there"'), 'tab\there')
  })
})

describe('collections', () => {
  it('parses arrays, objects and sets', () => {
    assert.equal(term('[]'), '[]')
    assert.equal(term('[1, "a", [x]]'), '[1, "a", [x]]')
    assert.equal(term('[1, 2,]'), '[1, 2]')
    assert.equal(term('{}'), '{}')
    assert.equal(term('{"a": 1, "b": [2]}'), '{"a": 1, "b": [2]}')
    assert.equal(term('{1: 2, [3]: {4}, x: null,}'), '{1: 2, [3]: {4}, x: null}')
    assert.equal(term('{1, 2, "a"}'), '{1, 2, "a"}')
    assert.equal(term('set()'), 'set()')
    assert.equal(term('{set()}'), '{set()}')
  })

  it('allows operators inside elements, keys and values', () => {
    assert.equal(term('[1 + 2, x * y]'), '[plus(1, 2), mul(x, y)]')
    assert.equal(term('{a + 1: b - 1}'), '{plus(a, 1): minus(b, 1)}')
    assert.equal(term('{x == 1, 2}'), '{equal(x, 1), 2}')
  })

  it('spans newlines inside brackets', () => {
    assert.equal(term('[\n  1,\n  2\n]'), '[1, 2]')
    assert.equal(term('{\n"a":\n1\n}'), '{"a": 1}')
  })

  it('parses comprehensions, preferring them to `|` as an operator', () => {
    assert.equal(term('[x | x := 1]'), '[x | x := 1]')
    assert.equal(term('{x | some x in xs}'), '{x | some x in xs}')
    assert.equal(term('{k: v | v := o[k]}'), '{k: v | v := ref(o, k)}')
    assert.equal(term('[x | a; b\nc]'), '[x | a; b; c]')
    assert.equal(term('{1 | 1}'), '{1 | 1}')
    assert.equal(term('[a | b, c]'), '[or(a, b), c]')
    assert.equal(term('{a | b, c}'), '{or(a, b), c}')
    assert.equal(term('{"k": a | b, "j": 1}'), '{"k": or(a, b), "j": 1}')
    assert.equal(term('[, a | b]'), '[or(a, b)]')
  })
})

describe('refs and calls', () => {
  it('parses dotted and bracketed refs', () => {
    assert.equal(term('a.b[c]["d"][_]'), 'ref(a, "b", c, "d", _)')
    assert.equal(term('input.x'), 'ref(input, "x")')
    assert.equal(term('data'), 'data')
    assert.equal(term('a[x + 1]'), 'ref(a, plus(x, 1))')
    assert.equal(term('[1, 2][0]'), 'ref([1, 2], 0)')
    assert.equal(term('{"a": 1}.a'), 'ref({"a": 1}, "a")')
    assert.equal(term('[x | x = 1][0]'), 'ref([x | x = 1], 0)')
  })

  it('allows keywords after a dot', () => {
    assert.equal(
      term('input.in.if.contains.every.not.package'),
      'ref(input, "in", "if", "contains", "every", "not", "package")',
    )
  })

  it('needs suffixes to touch the term', () => {
    const body = parseQuery('x [1]')
    assert.equal(body.length, 2)
    assert.equal(sketchExpr(body[0]!), 'x')
    assert.equal(sketchExpr(body[1]!), '[1]')
  })

  it('parses calls, dotted calls and refs on call results', () => {
    assert.equal(term('count(xs)'), 'count(xs)')
    assert.equal(term('f()'), 'f()')
    assert.equal(term('io.jwt.decode(x)'), 'io.jwt.decode(x)')
    assert.equal(term('data.lib.f(x, y)'), 'data.lib.f(x, y)')
    assert.equal(term('a["b"](1)'), 'a.b(1)')
    assert.equal(term('f(x)[0].y'), 'ref(f(x), 0, "y")')
    assert.equal(term('count(xs, n)'), 'count(xs, n)')
    assert.equal(term('f(\n  1,\n  2,\n)'), 'f(1, 2)')
  })
})

describe('operators', () => {
  it('follows OPA precedence', () => {
    assert.equal(term('1 + 2 * 3'), 'plus(1, mul(2, 3))')
    assert.equal(term('1 * 2 + 3'), 'plus(mul(1, 2), 3)')
    assert.equal(term('a - b - c'), 'minus(minus(a, b), c)')
    assert.equal(term('a / b % c'), 'rem(div(a, b), c)')
    assert.equal(term('a | b & c'), 'or(a, and(b, c))')
    assert.equal(term('a & b | c'), 'or(and(a, b), c)')
    assert.equal(term('a + 1 | b'), 'or(plus(a, 1), b)')
    assert.equal(term('a | b == c'), 'equal(or(a, b), c)')
    assert.equal(term('a == b != c'), 'neq(equal(a, b), c)')
    assert.equal(term('a < b'), 'lt(a, b)')
    assert.equal(term('a <= b'), 'lte(a, b)')
    assert.equal(term('a > b'), 'gt(a, b)')
    assert.equal(term('a >= b'), 'gte(a, b)')
    assert.equal(term('(1 + 2) * 3'), 'mul(plus(1, 2), 3)')
  })

  it('parses membership as the loosest operator', () => {
    assert.equal(term('x in xs'), 'internal.member_2(x, xs)')
    assert.equal(term('x == 1 in xs'), 'internal.member_2(equal(x, 1), xs)')
    assert.equal(term('x in xs in ys'), 'internal.member_2(internal.member_2(x, xs), ys)')
    assert.equal(expr('k, v in xs'), 'internal.member_3(k, v, xs)')
    assert.equal(term('[x, y in z]'), '[x, internal.member_2(y, z)]')
    assert.equal(term('f(x, y in z)'), 'f(x, internal.member_2(y, z))')
  })

  it('reads `-` as a sign only before a number', () => {
    assert.equal(term('x - 1'), 'minus(x, 1)')
    assert.equal(term('x -1'), 'minus(x, 1)')
    assert.equal(term('[1, -1]'), '[1, -1]')
    assert.equal(term('2 * -1'), 'mul(2, -1)')
    assert.equal(term('2 - -1'), 'minus(2, -1)')
  })

  it('continues an expression after an operator across newlines', () => {
    assert.equal(expr('x := 1 +\n2'), 'x := plus(1, 2)')
    assert.equal(expr('x := 1\n+ 2'), 'x := plus(1, 2)')
  })
})

describe('parseTerm', () => {
  it('accepts one term and rejects expressions, as OPA ParseTerm does', () => {
    assert.equal(sketchTerm(parseTerm('{1, {"a": set()}}')), '{1, {"a": set()}}')
    assert.throws(() => parseTerm('count(x)'), /expected term/)
    assert.throws(() => parseTerm('x = 1'), /expected term/)
    assert.throws(() => parseTerm('1; 2'), /expected exactly one term/)
  })
})

describe('term locations', () => {
  it('gives 1-based rows and columns', () => {
    const t = parseTerm('[\n  1,\n    "x"]')
    assert.deepEqual(t.loc, { file: '', row: 1, col: 1 })
    assert.equal(t.type, 'array')
    const items = t.items
    assert.deepEqual(items[0]!.loc, { file: '', row: 2, col: 3 })
    assert.deepEqual(items[1]!.loc, { file: '', row: 3, col: 5 })
  })

  it('locates operator calls at their left operand and refs at their head', () => {
    const body = parseQuery('  a.b + c', { file: 'q.rego' })
    const e = body[0]!
    assert.equal(e.kind.type, 'term')
    assert.deepEqual(e.kind.term.loc, { file: 'q.rego', row: 1, col: 3 })
  })
})
