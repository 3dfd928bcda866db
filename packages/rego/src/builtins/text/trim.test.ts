import assert from 'node:assert/strict'
import { test } from 'node:test'
import { callText } from './call-text-builtin.ts'
import { evalBounded, expectLimitError } from '../bounds-test-support.ts'

test('trim functions take a set of code points', () => {
  assert.equal(callText('trim', ['¡¡¡foo, bar!!!', '!¡']), 'foo, bar')
  assert.equal(callText('trim', ['...foo.bar...', '.fr']), 'oo.ba')
  assert.equal(callText('trim_left', ['¡¡¡foo, bar!!!', '!¡']), 'foo, bar!!!')
  assert.equal(callText('trim_right', ['¡¡¡foo, bar!!!', '!¡']), '¡¡¡foo, bar')
  assert.equal(callText('trim', ['', '.']), '')
})

test('trim_prefix and trim_suffix remove one occurrence', () => {
  assert.equal(callText('trim_prefix', ['¡¡¡foo, bar!!!', '¡¡¡foo']), ', bar!!!')
  assert.equal(callText('trim_prefix', ['aab', 'a']), 'ab')
  assert.equal(callText('trim_suffix', ['¡¡¡foo, bar!!!', ', bar!!!']), '¡¡¡foo')
  assert.equal(callText('trim_suffix', ['abc', 'x']), 'abc')
})

test('trim_space uses Go unicode.IsSpace', () => {
  assert.equal(callText('trim_space', [' \t\n foo, bar \n\t\r\n']), 'foo, bar')
  assert.equal(callText('trim_space', ['\u0085\u00a0x\u3000']), 'x')
  assert.equal(callText('trim_space', ['\ufeffx']), '\ufeffx')
})

test('trims of long texts are charged by their length', () => {
  const big = ` ${'x'.repeat(1_000_000)} `
  expectLimitError('p := [x | some i in numbers.range(1, 10); x := trim_space(input)]', { input: big })
  expectLimitError('p := [x | some i in numbers.range(1, 10); x := trim(input, " ")]', { input: big })
  assert.equal(evalBounded('p := trim_space("  a ")'), 'a')
})
