import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseJson } from '../../value/json.ts'
import { equal } from '../../value/compare.ts'
import { RegoObject, RegoSet, type Value } from '../../value/value.ts'
import { doublingRules, evalBounded, expectLimitError } from '../bounds-test-support.ts'
import { callText } from './call-text-builtin.ts'
import { naturalLess } from './yaml-emit.ts'

test('yaml.marshal uses goyaml.v2 layout', () => {
  assert.equal(
    callText('yaml.marshal', [[RegoObject.from([['foo', RegoSet.from([1, 2, 3])]])]]),
    '- foo:\n  - 1\n  - 2\n  - 3\n',
  )
  const doc = parseJson(
    '{"a": {"b": [1, {"c": "d", "e": []}], "f": {}}, "g": "yes", "h": "", "j": "a: b", "k": "x\\ny", "o": 1.5}',
  )
  assert.equal(
    callText('yaml.marshal', [doc]),
    'a:\n  b:\n  - 1\n  - c: d\n    e: []\n  f: {}\ng: "yes"\nh: ""\nj: \'a: b\'\nk: |-\n  x\n  y\no: 1.5\n',
  )
  assert.equal(callText('yaml.marshal', ['hello']), 'hello\n')
  assert.equal(callText('yaml.marshal', [null]), 'null\n')
})

test('yaml.marshal folds long scalars past column 80', () => {
  const text = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore.'
  assert.equal(
    callText('yaml.marshal', [RegoObject.from([['long', text]])]),
    'long: Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor\n  incididunt ut labore.\n',
  )
})

test('yaml key order: digit runs compare as numbers', () => {
  assert.equal(naturalLess('a9', 'a10'), true)
  assert.equal(naturalLess('a10', 'a9'), false)
  assert.equal(naturalLess('b', 'a1'), false)
})

test('yaml.unmarshal reads YAML 1.1 like goyaml.v2', () => {
  const v = callText('yaml.unmarshal', [
    'a: yes\nb: 0x1F\nc: 2001-12-14\nd: 1e3\ne: ~\n1: x\nf: 12345678901234567890123\n',
  ])
  assert.ok(v instanceof RegoObject)
  assert.equal(v.get('a'), true)
  assert.equal(v.get('b'), 31)
  assert.equal(v.get('c'), '2001-12-14')
  assert.equal(v.get('d'), 1000)
  assert.equal(v.get('e'), null)
  assert.equal(v.get('1'), 'x')
  assert.equal(v.get('f'), 12345678901234567890123n)
  assert.ok(equal(callText('yaml.unmarshal', ['a: 1\na: 2']) ?? null, RegoObject.from([['a', 2]])))
  assert.equal(callText('yaml.unmarshal', ['']), null)
  assert.ok(equal(callText('yaml.unmarshal', ['a: 1e400']) ?? null, RegoObject.from([['a', '1e400']])))
})

test('yaml.unmarshal errors read like goyaml.v2', () => {
  assert.throws(
    () => callText('yaml.unmarshal', ['[1,2,3']),
    /^BuiltinError: yaml: line 1: did not find expected ',' or '\]'$/,
  )
  assert.throws(() => callText('yaml.unmarshal', ['a: .inf']), /json: unsupported value: \+Inf/)
})

test('yaml.is_valid', () => {
  assert.equal(callText('yaml.is_valid', ['foo:\n  - qux: bar\n  - baz: 2']), true)
  assert.equal(callText('yaml.is_valid', ['foo:\n  - qux: bar\n  - baz: {']), false)
  assert.equal(callText('yaml.is_valid', [1]), false)
})

test('yaml round trip', () => {
  const v = parseJson('{"x": [1, 2.5, "3", true, null, {"y": "multi\\nline\\n"}], "z": "it\'s"}')
  assert.ok(equal(callText('yaml.unmarshal', [callText('yaml.marshal', [v]) as string]) ?? null, v))
})

test('yaml.marshal and yaml.unmarshal stop at the step bound on huge results', () => {
  const dag = doublingRules(24)
  expectLimitError(`${dag}\np := count(yaml.marshal(d24))`)
  assert.equal(
    evalBounded(`${doublingRules(2)}\np := yaml.marshal(d2)`),
    '- - - xxxxxxxxxxxxxxxxxxxx\n  - - xxxxxxxxxxxxxxxxxxxx\n- - - xxxxxxxxxxxxxxxxxxxx\n  - - xxxxxxxxxxxxxxxxxxxx\n',
  )
  // Indentation grows with depth.
  let deep: Value = 'x'
  for (let i = 0; i < 2_000; i++) deep = RegoObject.from([['k', deep]])
  expectLimitError('p := count(yaml.marshal(input))', { input: deep })
  expectLimitError('p := yaml.unmarshal(input)', { input: `[${'1, '.repeat(100_000)}1]` })
  expectLimitError('p := yaml.is_valid(input)', { input: `[${'1, '.repeat(100_000)}1]` })
  // Reading the digits of a huge integer is quadratic.
  expectLimitError('p := yaml.unmarshal(input)', { input: '7'.repeat(60_000), maxSteps: 500_000 })
  assert.equal(evalBounded('p := yaml.unmarshal(input) > 0', { input: '7'.repeat(20_000), maxSteps: 500_000 }), true)
  assert.equal(evalBounded('p := yaml.is_valid("a: [1")'), false)
})
