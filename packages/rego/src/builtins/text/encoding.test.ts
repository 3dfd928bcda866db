import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RegoObject, RegoSet } from '../../value/value.ts'
import { evalBounded, expectLimitError } from '../bounds-test-support.ts'
import { callText } from './call-text-builtin.ts'

test('base64 encodes UTF-8 and decodes strictly, like Go StdEncoding', () => {
  assert.equal(callText('base64.encode', ['hello']), 'aGVsbG8=')
  assert.equal(callText('base64.encode', ['subjects?_d']), 'c3ViamVjdHM/X2Q=')
  assert.equal(callText('base64.encode', ['é']), 'w6k=')
  assert.equal(callText('base64.decode', ['aGVsbG8=']), 'hello')
  assert.equal(callText('base64.decode', ['aGVs\nbG8=']), 'hello')
  assert.equal(callText('base64.decode', ['w6k=']), 'é')
  assert.equal(callText('base64.decode', ['/w==']), '\ufffd')
  assert.throws(() => callText('base64.decode', ['aGVsbG8']), /^BuiltinError: illegal base64 data at input byte 4$/)
  assert.throws(() => callText('base64.decode', ['aGVs!G8=']), /illegal base64 data at input byte 4/)
  assert.throws(() => callText('base64.decode', ['aGVsbG8=x']), /illegal base64 data at input byte 8/)
  assert.equal(callText('base64.is_valid', ['aGVsbG8=']), true)
  assert.equal(callText('base64.is_valid', ["{'not':'base64'}"]), false)
  assert.equal(callText('base64.is_valid', [1]), false)
})

test('base64url pads input that lacks padding', () => {
  assert.equal(callText('base64url.encode', ['subjects?_d']), 'c3ViamVjdHM_X2Q=')
  assert.equal(callText('base64url.encode_no_pad', ['hello']), 'aGVsbG8')
  assert.equal(callText('base64url.decode', ['aGVsbG8']), 'hello')
  assert.equal(callText('base64url.decode', ['aGVsbG8=']), 'hello')
  assert.throws(() => callText('base64url.decode', ['aGVsb']), /illegal base64url string: aGVsb/)
})

test('hex encodes and decodes bytes with Go errors', () => {
  assert.equal(callText('hex.encode', ['lorem ipsum']), '6c6f72656d20697073756d')
  assert.equal(callText('hex.decode', ['6c6f72656d20697073756d']), 'lorem ipsum')
  assert.throws(() => callText('hex.decode', ['fghijkl']), /encoding\/hex: invalid byte: U\+0067 'g'/)
  assert.throws(() => callText('hex.decode', ['abc']), /encoding\/hex: odd length hex string/)
})

test('urlquery escapes like Go url.QueryEscape', () => {
  assert.equal(callText('urlquery.encode', ['a=b+1']), 'a%3Db%2B1')
  assert.equal(callText('urlquery.encode', ['a b~é']), 'a+b~%C3%A9')
  assert.equal(callText('urlquery.decode', ['a%3Db%2B1+c']), 'a=b+1 c')
  assert.throws(() => callText('urlquery.decode', ['a%zzb']), /invalid URL escape "%zz"/)
})

test('urlquery objects', () => {
  const obj = RegoObject.from([
    ['c', 'd'],
    ['a', ['b+1', 'c+2']],
    ['s', RegoSet.from(['x'])],
  ])
  assert.equal(callText('urlquery.encode_object', [obj]), 'a=b%2B1&a=c%2B2&c=d&s=x')
  assert.equal(callText('urlquery.encode_object', [new RegoObject()]), '')
  assert.throws(
    () => callText('urlquery.encode_object', [RegoObject.from([['a', 1]])]),
    /operand 1 values must be string, array\[string\], or set\[string\]/,
  )
  const decoded = callText('urlquery.decode_object', ['a=value_a1&b=value_b&a=value_a2&c'])
  assert.ok(decoded instanceof RegoObject)
  assert.deepEqual(decoded.get('a'), ['value_a1', 'value_a2'])
  assert.deepEqual(decoded.get('c'), [''])
  assert.throws(() => callText('urlquery.decode_object', ['a=1;b=2']), /invalid semicolon separator in query/)
})

test('encodings and URL escapes charge the text they go through', () => {
  const big = 'x'.repeat(1_000_000)
  for (const call of [
    'base64.encode(input)',
    'base64url.encode(input)',
    'base64url.encode_no_pad(input)',
    'base64.decode(input)',
    'base64url.decode(input)',
    'base64.is_valid(input)',
    'hex.encode(input)',
    'urlquery.encode(input)',
    'urlquery.decode(input)',
    'urlquery.decode_object(input)',
  ]) {
    expectLimitError(`p := [x | some i in numbers.range(1, 10); x := ${call}]`, { input: 'QUJD'.repeat(250_000) })
  }
  expectLimitError('p := [x | some i in numbers.range(1, 10); x := hex.decode(input)]', { input: '41'.repeat(500_000) })
  expectLimitError('p := urlquery.encode_object({"a": [input | some i in numbers.range(1, 10)]})', { input: big })
  assert.equal(evalBounded('p := base64url.encode("a")'), 'YQ==')
  assert.equal(evalBounded('p := base64url.encode_no_pad("a")'), 'YQ')
})
