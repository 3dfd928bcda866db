import assert from 'node:assert/strict'
import { test } from 'node:test'
import { textBuiltins } from './index.ts'
import { evalBounded, expectLimitError } from '../bounds-test-support.ts'
import { callText } from './call-text-builtin.ts'
import { estimateProgramSize, LruCache } from './regex-cache.ts'

test('regex.match is an unanchored RE2 search', () => {
  assert.equal(callText('regex.match', ['^[a-z]+\\[[0-9]+\\]$', 'foo[1]']), true)
  assert.equal(callText('regex.match', ['b+', 'abbc']), true)
  assert.equal(callText('regex.match', ['(?i)ABC', 'xabcx']), true)
  assert.equal(callText('regex.match', ['\\pL+\\z', 'añ']), true)
  assert.throws(
    () => callText('regex.match', ['][', 'x']),
    /^BuiltinError: error parsing regexp: missing closing \]: `\[`$/,
  )
})

test('re_match is the deprecated alias', () => {
  const def = textBuiltins.find((b) => b.name === 're_match')
  assert.equal(def?.deprecated, true)
  assert.equal(callText('re_match', ['^b.*$', 'bar']), true)
})

test('regex.is_valid rejects what RE2 rejects, and non-strings', () => {
  assert.equal(callText('regex.is_valid', ['.+']), true)
  assert.equal(callText('regex.is_valid', ['++']), false)
  assert.equal(callText('regex.is_valid', ['(?=a)']), false)
  assert.equal(callText('regex.is_valid', ['(a)\\1']), false)
  assert.equal(callText('regex.is_valid', [10]), false)
})

test('regex.split, find_n and find_all_string_submatch_n follow Go', () => {
  assert.deepEqual(callText('regex.split', ['a', 'banana']), ['b', 'n', 'n', ''])
  assert.deepEqual(callText('regex.split', ['z+', 'pizza']), ['pi', 'a'])
  assert.deepEqual(callText('regex.split', ['x', '']), [''])
  assert.deepEqual(callText('regex.split', ['b*', 'abc']), ['a', 'c'])
  assert.deepEqual(callText('regex.split', ['', 'a😀c']), ['a', '😀', 'c'])
  assert.deepEqual(callText('regex.find_n', ['a.', 'paranormal', -1]), ['ar', 'an', 'al'])
  assert.deepEqual(callText('regex.find_n', ['a.', 'paranormal', 2]), ['ar', 'an'])
  assert.deepEqual(callText('regex.find_n', ['a*', 'baaab', -1]), ['', 'aaa', ''])
  assert.deepEqual(callText('regex.find_all_string_submatch_n', ['a(x*)b', '-ab-axb-', -1]), [
    ['ab', ''],
    ['axb', 'x'],
  ])
  assert.deepEqual(callText('regex.find_all_string_submatch_n', ['[^aouiye]([aouiye])([^aouiye])?', 'somestri', 1]), [
    ['som', 'o', 'm'],
  ])
  assert.throws(() => callText('regex.find_n', ['a', 'a', 1.5]), /operand 3 must be integer number/)
})

test('regex.replace expands $n and ${name} like Regexp.ReplaceAllString', () => {
  assert.equal(callText('regex.replace', ['-wy-wxxy-', 'w(x*)y', '0']), '-0-0-')
  assert.equal(callText('regex.replace', ['foo', '(foo)', '$1$1']), 'foofoo')
  assert.equal(callText('regex.replace', ['foo', '(?P<w>o)', '[${w}]']), 'f[o][o]')
  assert.equal(callText('regex.replace', ['foo', '(o)', '$1x']), 'f')
  assert.equal(callText('regex.replace', ['foo', 'o', '$$']), 'f$$')
  assert.equal(callText('regex.replace', ['abc', 'x*', '-']), '-a-b-c-')
  assert.equal(callText('regex.replace', ['a😀b', '', '.']), '.a.😀.b.')
  assert.throws(() => callText('regex.replace', ['foo', '[', '$1']), /error parsing regexp/)
})

test('regex.template_match', () => {
  assert.equal(callText('regex.template_match', ['urn:foo:{.*}', 'urn:foo:bar:baz', '{', '}']), true)
  assert.equal(callText('regex.template_match', ['urn:foo:<[0-9]+>', 'urn:foo:bar', '<', '>']), false)
  assert.equal(callText('regex.template_match', ['a.b:<.*>', 'axb:1', '<', '>']), false)
  assert.throws(() => callText('regex.template_match', ['urn:{.*', 'x', '{', '}']), /unbalanced braces in "urn:\{\.\*"/)
  assert.throws(
    () => callText('regex.template_match', ['x', 'x', '{{', '}']),
    /start delimiter has to be exactly one character long but is 2 long/,
  )
})

test('the regex cache keeps entries that are used when it is full', () => {
  const cache = new LruCache<number>(3)
  cache.set('a', 1)
  cache.set('b', 2)
  cache.set('c', 3)
  assert.equal(cache.get('a'), 1)
  cache.set('d', 4)
  assert.equal(cache.get('a'), 1)
  assert.equal(cache.get('b'), undefined)
  assert.equal(cache.get('c'), 3)
  assert.equal(cache.get('d'), 4)
})

test('the program size estimate follows counted repetitions, nested ones included', () => {
  assert.equal(estimateProgramSize('abc'), 3)
  assert.ok(estimateProgramSize('a{1000}') >= 1000)
  assert.ok(estimateProgramSize('(a{10}){100}') >= 1000)
  assert.ok(estimateProgramSize('[a-z]{16}x') < 40)
})

test('regex builtins stop at the step bound on huge requests', () => {
  const big = 'x'.repeat(120_000)
  expectLimitError('p := count(regex.find_n("", input, -1))', { input: big })
  expectLimitError('p := count(regex.find_all_string_submatch_n("(x)", input, -1))', { input: big })
  expectLimitError('p := count(regex.split("x", input))', { input: big })
  expectLimitError('p := count(regex.replace(input, "x", "yyyyyyyyyyyyyyyy"))', { input: big })
  expectLimitError('p := regex.match("y", input)', { input: 'x'.repeat(2_000_000) })
  // Counted repetitions make a short pattern compile to a huge program.
  expectLimitError('p := regex.match(concat("", ["a{1000}" | some i in numbers.range(1, 100)]), "x")')
  expectLimitError('p := regex.is_valid(concat("", ["a{1000}" | some i in numbers.range(1, 100)]))')
  assert.deepEqual(evalBounded('p := regex.find_n("x", input, 3)', { input: big }), ['x', 'x', 'x'])
  assert.equal(evalBounded('p := regex.is_valid("a{1000}")'), true)
})

test('regex.globs_match is polynomial where the plain recursion is exponential', () => {
  const a = 'a*.*'.repeat(40) + 'b.*'
  const b = 'a'.repeat(40) + 'c*'
  assert.equal(callText('regex.globs_match', [a, b]), false)
  assert.equal(callText('regex.globs_match', ['a*.*a*.*b', 'aaaaaab']), true)
  expectLimitError('p := regex.globs_match(input[0], input[1])', {
    input: ['a*.*'.repeat(400) + 'b.*', 'a'.repeat(400) + 'c*'],
  })
  // A range of five characters holds a million code points.
  expectLimitError('p := regex.globs_match(input, input)', { input: '[\u0000-\u{10ffff}]'.repeat(3) })
})
