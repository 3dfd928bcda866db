import assert from 'node:assert/strict'
import { test } from 'node:test'
import { evalBounded, expectLimitError } from '../bounds-test-support.ts'
import { callText } from './call-text-builtin.ts'

const match = (pattern: string, delimiters: string[] | null, s: string) =>
  callText('glob.match', [pattern, delimiters, s])

test('glob.match: * stops at delimiters, ** does not', () => {
  assert.equal(match('*.github.com', ['.'], 'api.github.com'), true)
  assert.equal(match('*.github.com', ['.'], 'api.cdn.github.com'), false)
  assert.equal(match('api.**.com', ['.'], 'api.cdn.github.com'), true)
  assert.equal(match('*:github:com', [':'], 'api:github:com'), true)
})

test('glob.match: an empty delimiter list means ".", null means none', () => {
  assert.equal(match('*', [], 'foo.bar'), false)
  assert.equal(match('*', null, 'foo.bar'), true)
  assert.equal(match('?at', ['f'], 'fat'), false)
  assert.equal(match('?at', [], 'bat'), true)
})

test('glob.match: lists, ranges, negations and alternatives', () => {
  assert.equal(match('[abc]at', [], 'cat'), true)
  assert.equal(match('[!abc]at', [], 'cat'), false)
  assert.equal(match('[a-c]at', [], 'bat'), true)
  assert.equal(match('[!a-c]at', [], 'fat'), true)
  assert.equal(match('{cat,bat,[fr]at}', [], 'rat'), true)
  assert.equal(match('{cat,bat,[fr]at}', [], 'at'), false)
  assert.equal(match('a\\*b', [], 'a*b'), true)
  assert.equal(match('a\\*b', [], 'axb'), false)
  assert.equal(match('{a,b}]', [], 'a]'), true)
})

test('glob.match: operand errors', () => {
  assert.throws(() => match('[]', [], 'x'), /could not parse range/)
  assert.throws(
    () => callText('glob.match', ['*', 'x', 'a']),
    /operand 2 must be one of \{array, null\} but got string/,
  )
  assert.throws(() => match('*', ['ab'], 'a'), /operand 2 must be array of runes but got array containing string/)
})

test('glob.quote_meta escapes glob syntax', () => {
  assert.equal(callText('glob.quote_meta', ['*.github.com']), '\\*.github.com')
  assert.equal(callText('glob.quote_meta', ['[a]{b}?\\']), '\\[a\\]\\{b\\}\\?\\\\')
})

test('regex.globs_match intersects regex-like globs', () => {
  assert.equal(callText('regex.globs_match', ['a.a.[0-9]+z', '.b.b2359825792*594823z']), true)
  assert.equal(callText('regex.globs_match', ['[a-z]+', '[0-9]*']), false)
  assert.equal(callText('regex.globs_match', ['b.*', 'bar']), true)
  assert.equal(callText('regex.globs_match', ['[a-z]+\\[[0-9]+\\]', 'foo\\[1\\]']), true)
  assert.equal(callText('regex.globs_match', ['[a-z]+\\[[0-9]+\\]', 'foo["bar"]']), false)
  assert.throws(
    () => callText('regex.globs_match', ['pqrs]', '[a-b]+']),
    /^BuiltinError: input:pqrs\], pos:5, set-close '\]' with no preceding '\[': the input provided is invalid$/,
  )
  assert.throws(() => callText('regex.globs_match', ['[a', 'a']), /pos:2, found \[ without matching \]/)
  assert.throws(() => callText('regex.globs_match', ['*a', 'a']), /flag '\*' must be preceded by a non-flag/)
})

test('glob.match stops at the step bound on huge text', () => {
  expectLimitError('p := glob.match("*.b", [], input)', { input: 'a'.repeat(2_000_000) })
  assert.equal(evalBounded('p := glob.match("*.b", [], input)', { input: `${'a'.repeat(1_000)}.b` }), true)
})
