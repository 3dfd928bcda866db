import assert from 'node:assert/strict'
import { test } from 'node:test'
import { textBuiltins } from './index.ts'
import { callText } from './call-text-builtin.ts'

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
