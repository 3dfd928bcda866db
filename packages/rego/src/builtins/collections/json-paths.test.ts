import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { equal } from '../../value/compare.ts'
import { parseJson } from '../../value/json.ts'
import { RegoObject, RegoSet, type Value } from '../../value/value.ts'
import { evalBounded, expectLimitError } from '../bounds-test-support.ts'
import { parsePath, pathsToTree } from './json-paths.ts'
import { expectError, expectResult } from './test-calls.ts'

const j = (text: string): Value => parseJson(text)
const s = (...items: Value[]): RegoSet => RegoSet.from(items)

describe('parsePath and pathsToTree', () => {
  it('splits and unescapes string paths', () => {
    assert.deepEqual(parsePath(''), [])
    assert.deepEqual(parsePath('/'), [''])
    assert.deepEqual(parsePath('a/b'), ['a', 'b'])
    assert.deepEqual(parsePath('//a/b/'), ['a', 'b', ''])
    assert.deepEqual(parsePath('/a~1b/m~0n/~01'), ['a/b', 'm~n', '~1'])
    assert.deepEqual(parsePath(['a', 1]), ['a', 1])
  })

  it('builds a tree where a shorter path wins', () => {
    assert.ok(equal(pathsToTree([['a', 'b'], ['a']]), j('{"a": null}')))
    assert.ok(equal(pathsToTree([['a'], ['a', 'b']]), j('{"a": null}')))
    assert.ok(equal(pathsToTree([['a', 'b'], ['a', 'c'], []]), j('{"a": {"b": null, "c": null}}')))
    assert.ok(pathsToTree([]) instanceof RegoObject)
  })
})

describe('json.filter', () => {
  const doc = j('{"a": {"b": {"c": 7, "d": 8}}, "e": 9}')
  it('keeps the selected paths', () => {
    expectResult('json.filter', [doc, s('a/b/c')], j('{"a": {"b": {"c": 7}}}'))
    expectResult('json.filter', [doc, ['a/b/c', 'e']], j('{"a": {"b": {"c": 7}}, "e": 9}'))
    expectResult('json.filter', [j('{"a": {"b": 7}}'), s('a', 'a/b')], j('{"a": {"b": 7}}'))
    expectResult('json.filter', [j('{"a": 7}'), s()], j('{}'))
    expectResult('json.filter', [j('{}'), s('a/b')], j('{}'))
    expectResult(
      'json.filter',
      [j('{"a": [{"b": 7, "c": 8}, {"d": 9}]}'), s('a/0/b', 'a/1')],
      j('{"a": [{"b": 7}, {"d": 9}]}'),
    )
    expectResult(
      'json.filter',
      [j('{"a": [{"1": ["b", "c", "d"]}, {"x": "y"}]}'), s('a/0/1/2')],
      j('{"a": [{"1": ["d"]}]}'),
    )
    expectResult('json.filter', [doc, s(['a', 'b', 'c'], ['e'])], j('{"a": {"b": {"c": 7}}, "e": 9}'))
    expectResult(
      'json.filter',
      [j('{"a": {"b": {"c": 7, "d": 8, "x": 0}}, "e": 9}'), s('a/b/d', ['a', 'b', 'c'])],
      j('{"a": {"b": {"c": 7, "d": 8}}}'),
    )
    expectResult('json.filter', [RegoObject.from([['a', s('x', 'y')]]), ['a/x']], RegoObject.from([['a', s('x')]]))
  })

  it('reports operand types', () => {
    expectError('json.filter', [[], ['a']], 'eval_type_error', 'operand 1 must be object but got array')
    expectError('json.filter', [doc, 'a'], 'eval_type_error', 'operand 2 must be one of {set, array} but got string')
  })
})

describe('json.remove', () => {
  const doc = j('{"a": {"b": {"c": 7, "d": 8}}, "e": 9}')
  it('drops the selected paths', () => {
    expectResult('json.remove', [doc, s('a/b/c')], j('{"a": {"b": {"d": 8}}, "e": 9}'))
    expectResult('json.remove', [doc, ['a/b/c', 'e']], j('{"a": {"b": {"d": 8}}}'))
    expectResult('json.remove', [j('{"a": {"b": 7}, "c": 1}'), s('a', 'a/b')], j('{"c": 1}'))
    expectResult('json.remove', [j('{"a": {"b": 7}, "c": 1}'), s('a/b', 'c')], j('{"a": {}}'))
    expectResult('json.remove', [j('{"a": 7}'), s()], j('{"a": 7}'))
    expectResult('json.remove', [j('{"a": [{"b": 7, "c": 8}, {"d": 9}]}'), s('a/0/b', 'a/1')], j('{"a": [{"c": 8}]}'))
    expectResult(
      'json.remove',
      [j('{"a": [{"1": ["b", "c", "d"]}, {"x": "y"}]}'), s('a/0/1/2')],
      j('{"a": [{"1": ["b", "c"]}, {"x": "y"}]}'),
    )
    expectResult(
      'json.remove',
      [j('{"a": {"b": {"c": 7, "d": 8, "x": 0}}, "e": 9}'), s('a/b/d', ['a', 'b', 'c'])],
      j('{"a": {"b": {"x": 0}}, "e": 9}'),
    )
    expectResult('json.remove', [RegoObject.from([['a', s('x', 'y')]]), ['a/x']], RegoObject.from([['a', s('y')]]))
  })

  it('reports operand types', () => {
    expectError('json.remove', ['foo', s('a/b/c')], 'eval_type_error', 'operand 1 must be object but got string')
    expectError('json.remove', [doc, 22], 'eval_type_error', 'operand 2 must be one of {set, array} but got number')
    expectError(
      'json.remove',
      [doc, j('{"y": 1}')],
      'eval_type_error',
      'operand 2 must be one of {set, array} but got object',
    )
    const elementError =
      'operand 2 must be one of {set, array} containing string paths or array of path segments but got'
    expectError('json.remove', [doc, s(1, 2, 3, 'a')], 'eval_type_error', `${elementError} number`)
    expectError('json.remove', [doc, ['a', j('{"x": 1}')]], 'eval_type_error', `${elementError} object`)
  })
})

describe('json.filter and json.remove on large documents', () => {
  it('charge the members copied and stop at the step bound', () => {
    const big = 'o := {sprintf("%d", [i]): i | some i in numbers.range(1, 12000)}\n'
    expectLimitError(`${big}p := count([x | some i in numbers.range(1, 10); x := json.remove(o, ["1"])])`)
    expectLimitError(`${big}p := count([x | some i in numbers.range(1, 10); x := json.filter(o, ["1"])])`)
    assert.equal(evalBounded(`${big}p := count(json.remove(o, ["1"]))`), 11_999)
  })
})
