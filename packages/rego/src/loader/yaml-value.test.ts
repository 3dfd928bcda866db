import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RegoError } from '../errors.ts'
import { toJsonText } from '../value/json.ts'
import { isObject } from '../value/value.ts'
import { parseYamlValue } from './yaml-value.ts'

test('keeps integers beyond 2^53 exact', () => {
  const v = parseYamlValue('a: 9223372036854775807\nb: 18446744073709551614\nc: -12\n')
  assert.ok(isObject(v))
  assert.equal(v.get('a'), 9223372036854775807n)
  assert.equal(v.get('b'), 18446744073709551614n)
  assert.equal(v.get('c'), -12)
})

test('reads floats in YAML forms as doubles', () => {
  const v = parseYamlValue('- 1.5893857701234e+09\n- .5\n- 1.0\n- -2.5e-3\n- 1e3\n')
  assert.deepEqual(v, [1589385770.1234, 0.5, 1, -0.0025, 1000])
})

test('reads YAML 1.1 like goyaml.v2: y is true, 0123 is octal, timestamps stay strings', () => {
  const v = parseYamlValue('y: yes\nn: 0123\nd: 2020-01-01\nt: 1:20\n')
  assert.equal(toJsonText(v), '{"d":"2020-01-01","false":83,"t":"1:20","true":true}')
})

test('reads YAML 1.2 when asked', () => {
  const v = parseYamlValue('y: yes\n', { version: '1.2' })
  assert.equal(toJsonText(v), '{"y":"yes"}')
})

test('turns non-string map keys into their text', () => {
  const v = parseYamlValue('0: a\n7: b\n1.5: c\nnull: d\ntrue: e\n')
  assert.ok(isObject(v))
  assert.deepEqual(v.keys(), ['0', '1.5', '7', 'null', 'true'])
})

test('keeps strings that look like numbers when quoted', () => {
  assert.deepEqual(parseYamlValue('["1", 2]'), ['1', 2])
})

test('rejects values JSON cannot hold and malformed YAML', () => {
  assert.throws(
    () => parseYamlValue('x: .inf\n'),
    (e) => e instanceof RegoError && e.code === 'invalid_argument',
  )
  assert.throws(() => parseYamlValue('a: [1\n'), /invalid YAML/)
  assert.throws(() => parseYamlValue('a: 1\na: 2\n'), /invalid YAML/)
})
