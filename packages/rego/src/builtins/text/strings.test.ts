import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RegoObject, RegoSet } from '../../value/value.ts'
import { evalBounded, expectLimitError } from '../bounds-test-support.ts'
import { callText } from './call-text-builtin.ts'

test('concat joins arrays and sets of strings', () => {
  assert.equal(callText('concat', ['/', ['', 'foo', 'bar']]), '/foo/bar')
  assert.equal(callText('concat', [',', RegoSet.from(['b', 'a'])]), 'a,b')
  assert.throws(
    () => callText('concat', [',', ['a', 1]]),
    /operand 2 must be array of strings but got array containing number/,
  )
  assert.throws(() => callText('concat', [',', 'ab']), /operand 2 must be one of \{set, array\} but got string/)
})

test('indexof and indexof_n count code points', () => {
  assert.equal(callText('indexof', ['abcabcabcdefgh', 'cde']), 8)
  assert.equal(callText('indexof', ['μx', 'x']), 1)
  assert.equal(callText('indexof', ['🍧🍨🧁🍰🍮', '🍮']), 4)
  assert.equal(callText('indexof', ['abc', 'z']), -1)
  assert.deepEqual(callText('indexof_n', ['😇😀😇😀', '😀']), [1, 3])
  assert.deepEqual(callText('indexof_n', ['aaa', 'aa']), [0, 1])
  assert.throws(() => callText('indexof', ['abc', '']), /empty search character/)
})

test('substring works on code points and rejects negative offsets', () => {
  assert.equal(callText('substring', ['abcdefgh', 2, 3]), 'cde')
  assert.equal(callText('substring', ['åäö', 0, 2]), 'åä')
  assert.equal(callText('substring', ['aåäö', 2, -1]), 'äö')
  assert.equal(callText('substring', ['åäö', 4, -1]), '')
  assert.throws(() => callText('substring', ['aaa', -1, -1]), /negative offset/)
  assert.throws(
    () => callText('substring', ['aaa', 1.5, 1]),
    /operand 2 must be integer number but got floating-point number/,
  )
})

test('split, replace and strings.count follow Go', () => {
  assert.deepEqual(callText('split', ['', '.']), [''])
  assert.deepEqual(callText('split', ['foo.bar.baz', '.']), ['foo', 'bar', 'baz'])
  assert.deepEqual(callText('split', ['a😀b', '']), ['a', '😀', 'b'])
  assert.equal(callText('replace', ['foo...bar', '..', ',,']), 'foo,,.bar')
  assert.equal(callText('replace', ['abc', '', '-']), '-a-b-c-')
  assert.equal(callText('strings.count', ['cheese', 'e']), 3)
  assert.equal(callText('strings.count', ['five', '']), 5)
})

test('strings.replace_n: the first key in OPA order wins at each position', () => {
  const patterns = RegoObject.from([
    ['foo', 'xxx'],
    ['f', 'x'],
  ])
  assert.equal(callText('strings.replace_n', [patterns, 'foobar']), 'xoobar')
  assert.equal(
    callText('strings.replace_n', [
      RegoObject.from([
        ['<', '&lt;'],
        ['>', '&gt;'],
      ]),
      'This is <b>HTML</b>!',
    ]),
    'This is &lt;b&gt;HTML&lt;/b&gt;!',
  )
  assert.throws(
    () => callText('strings.replace_n', [RegoObject.from([[2, 'x']]), 'foo']),
    /operand 1 non-string key found in pattern object/,
  )
  assert.throws(
    () => callText('strings.replace_n', [RegoObject.from([['f', 100]]), 'foo']),
    /operand 1 non-string value found in pattern object/,
  )
})

test('strings.reverse, lower, upper and format_int', () => {
  assert.equal(callText('strings.reverse', ['1😀𝛾']), '𝛾😀1')
  assert.throws(() => callText('strings.reverse', [123]), /operand 1 must be string but got number/)
  assert.equal(callText('lower', ['AbÇ']), 'abç')
  assert.equal(callText('upper', ['straße']), 'STRAßE')
  assert.equal(callText('format_int', [15.5, 16]), 'f')
  assert.equal(callText('format_int', [-5, 2]), '-101')
  assert.throws(() => callText('format_int', [4.1, 199]), /operand 2 must be one of \{2, 8, 10, 16\}/)
})

test('any_prefix_match and any_suffix_match take strings, arrays or sets', () => {
  assert.equal(
    callText('strings.any_prefix_match', [
      ['a/b/c', 'e/f/g'],
      ['d/', 'e/f'],
    ]),
    true,
  )
  assert.equal(callText('strings.any_prefix_match', ['a/b/c', RegoSet.from(['g/'])]), false)
  assert.equal(callText('strings.any_suffix_match', [['a/b/c'], '/c']), true)
  assert.throws(
    () => callText('strings.any_prefix_match', [[1, 2], ['a']]),
    /operand 1 must be array of strings but got array containing number/,
  )
  assert.throws(
    () => callText('strings.any_suffix_match', [['a'], 1]),
    /operand 2 must be one of \{string, set, array\} but got number/,
  )
})

test('contains, startswith, endswith', () => {
  assert.equal(callText('contains', ['abcdefgh', 'defg']), true)
  assert.equal(callText('startswith', ['abcdefgh', 'bcd']), false)
  assert.equal(callText('endswith', ['abcdefgh', 'fgh']), true)
})

test('replace: a non-empty old string replaces every non-overlapping match, literally', () => {
  assert.equal(callText('replace', ['aaaa', 'aa', 'b']), 'bb')
  assert.equal(callText('replace', ['a.b.c', '.', '$&']), 'a$&b$&c')
  assert.equal(callText('replace', ['abc', 'x', 'y']), 'abc')
  assert.equal(callText('replace', ['', '', 'x']), 'x')
  assert.equal(callText('replace', ['😀b', '', '-']), '-😀-b-')
  // A match may not start inside a surrogate pair.
  assert.equal(callText('replace', ['😀\ude00', '\ude00', 'x']), '😀x')
})

test('strings.replace_n: an empty old string matches between code points, not right after itself', () => {
  const patterns = RegoObject.from([
    ['', '-'],
    ['b', 'B'],
  ])
  assert.equal(callText('strings.replace_n', [patterns, 'ab']), '-a-B-')
})

test('indexof_n counts code points in one pass, lone surrogates included', () => {
  assert.deepEqual(callText('indexof_n', ['\ud83d😀a\ude00a', 'a']), [2, 4])
  const all = callText('indexof_n', ['é'.repeat(50_000), 'é'])
  assert.ok(Array.isArray(all))
  assert.equal(all.length, 50_000)
  assert.equal(all[49_999], 49_999)
})

test('huge string results stop at the step bound', () => {
  const s = 'x'.repeat(2_000)
  const big = 'x'.repeat(1_000_000)
  expectLimitError('p := count(replace(input, "x", input))', { input: s })
  assert.equal(evalBounded('p := count(replace(input, "x", "yy"))', { input: s }), 4_000)
  expectLimitError('p := count(replace(input, "", "abc"))', { input: big })
  expectLimitError('p := count(strings.replace_n({"x": input}, input))', { input: s })
  expectLimitError('p := count(concat("", [input | some i in numbers.range(1, 100)]))', { input: 'x'.repeat(100_000) })
  expectLimitError('p := count(split(input, ""))', { input: 'x'.repeat(200_000) })
  expectLimitError('p := count([upper(input) | some i in numbers.range(1, 10)])', { input: big })
  expectLimitError('p := count([lower(input) | some i in numbers.range(1, 10)])', { input: big })
  expectLimitError('p := count([strings.reverse(input) | some i in numbers.range(1, 10)])', { input: big })
  expectLimitError('p := count(indexof_n(input, "x"))', { input: 'x'.repeat(200_000) })
  expectLimitError('p := count(format_int(bits.lsh(1, 1000000), 10))')
  assert.equal(evalBounded('p := count(format_int(bits.lsh(1, 1000000), 16))'), 250_001)
})

test('any_prefix_match and json.is_valid are charged (pairs tried, text scanned)', () => {
  const many = Array.from({ length: 1_000 }, (_, i) => `s${i}`)
  expectLimitError('p := strings.any_prefix_match(input, input)', { input: many.map((s) => `${s}-`) })
  expectLimitError('p := [x | some i in numbers.range(1, 10); x := json.is_valid(input)]', {
    input: `"${'x'.repeat(1_000_000)}"`,
  })
  assert.equal(evalBounded('p := strings.any_prefix_match(input, ["s9"])', { input: many }), true)
})

test('code point offsets into a long text are charged by its length', () => {
  const big = 'é'.repeat(1_000_000)
  for (const call of ['substring(input, 5, 1)', 'indexof(input, "x")', 'strings.count(input, "x")']) {
    expectLimitError(`p := [x | some i in numbers.range(1, 10); x := ${call}]`, { input: big })
  }
  assert.equal(evalBounded('p := substring("CAP_CHOWN", 4, -1)'), 'CHOWN')
})
