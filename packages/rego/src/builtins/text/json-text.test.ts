import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RegoObject, RegoSet } from '../../value/value.ts'
import { doublingRules, evalBounded, expectLimitError } from '../bounds-test-support.ts'
import { callText } from './call-text-builtin.ts'

test('json.marshal writes Go encoding/json text', () => {
  const v = [RegoObject.from([['foo', RegoSet.from([3, 1, 2])]])]
  assert.equal(callText('json.marshal', [v]), '[{"foo":[1,2,3]}]')
  assert.equal(callText('json.marshal', ['<a&b>\u2028']), '"\\u003ca\\u0026b\\u003e\\u2028"')
  assert.equal(callText('json.marshal', ['\b\f\n\u0001']), '"\\b\\f\\n\\u0001"')
  assert.equal(
    callText('json.marshal', [
      RegoObject.from([
        [1, 'x'],
        ['b', 'y'],
      ]),
    ]),
    '{"1":"x","b":"y"}',
  )
  assert.equal(callText('json.marshal', [123456789012345678901234567890n]), '123456789012345678901234567890')
})

test('json.marshal_with_options indents and prefixes', () => {
  const arr = [1234567890, 2000000]
  assert.equal(
    callText('json.marshal_with_options', [arr, RegoObject.from([['indent', '  ']])]),
    '[\n  1234567890,\n  2000000\n]',
  )
  assert.equal(callText('json.marshal_with_options', [arr, new RegoObject()]), '[1234567890,2000000]')
  assert.equal(
    callText('json.marshal_with_options', [RegoObject.from([['foo', 'bar']]), RegoObject.from([['prefix', 'P ']])]),
    'P {\nP \t"foo": "bar"\nP }',
  )
  assert.equal(callText('json.marshal_with_options', [[], RegoObject.from([['prefix', '---']])]), '---[]')
  assert.equal(
    callText('json.marshal_with_options', [
      arr,
      RegoObject.from([
        ['pretty', false],
        ['indent', 'x'],
      ]),
    ]),
    '[1234567890,2000000]',
  )
  assert.throws(
    () => callText('json.marshal_with_options', [[], RegoObject.from([['bogus', true]])]),
    /operand 2 object contained unknown key "bogus"/,
  )
})

test('json.unmarshal keeps big integers and reports Go decoder errors', () => {
  assert.deepEqual(callText('json.unmarshal', ['[1, 12345678901234567890]']), [1, 12345678901234567890n])
  assert.throws(
    () => callText('json.unmarshal', ['plainstring']),
    /invalid character 'p' looking for beginning of value/,
  )
  assert.throws(() => callText('json.unmarshal', ['{']), /^BuiltinError: unexpected EOF$/)
  assert.throws(() => callText('json.unmarshal', ['{"a" 1}']), /invalid character '1' after object key/)
  assert.throws(() => callText('json.unmarshal', ['{} {}']), /error: invalid character '\{' after top-level value/)
  assert.throws(() => callText('json.unmarshal', ['1 2']), /error: invalid character '2' after top-level value/)
  assert.throws(() => callText('json.unmarshal', [1]), /operand 1 must be string but got number/)
})

test('json.unmarshal keeps literals beyond a double as exact integers', () => {
  assert.deepEqual(callText('json.unmarshal', ['[1e400, 1.5e-400]']), [10n ** 400n, 0])
})

test('json.is_valid', () => {
  assert.equal(callText('json.is_valid', ['{"json": "ok"}']), true)
  assert.equal(callText('json.is_valid', ['{']), false)
  assert.equal(callText('json.is_valid', ['[1,]']), false)
  assert.equal(callText('json.is_valid', [' 1 ']), true)
  assert.equal(callText('json.is_valid', [1]), false)
})

test('json.marshal and json.unmarshal stop at the step bound on huge results', () => {
  const dag = doublingRules(24)
  expectLimitError(`${dag}\np := count(json.marshal(d24))`)
  expectLimitError(`${dag}\np := count(json.marshal_with_options(d24, {"pretty": true}))`)
  assert.equal(evalBounded(`${doublingRules(4)}\np := count(json.marshal(d4))`), 24 * 16 + 15 * 3)
  // Indentation grows with depth: deep values with a long indent are large.
  expectLimitError(
    'p := json.marshal_with_options(input, {"indent": concat("", ["x" | some i in numbers.range(1, 1000)])})',
    {
      input: Array.from({ length: 2_000 }, (_, i) => [i]),
    },
  )
  expectLimitError('p := json.marshal(bits.lsh(1, 1000000))')
  expectLimitError('p := json.unmarshal("1e100000000")')
  expectLimitError('p := json.unmarshal(input)', { input: '7'.repeat(200_000) })
  expectLimitError('p := json.unmarshal(input)', { input: `[${'1,'.repeat(200_000)}1]` })
  assert.equal(evalBounded('p := json.unmarshal("1e400") > 0'), true)
})
