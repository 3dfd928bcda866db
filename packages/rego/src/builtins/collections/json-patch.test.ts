import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseJson } from '../../value/json.ts'
import { RegoObject, RegoSet, type Value } from '../../value/value.ts'
import { evalBounded, expectLimitError } from '../bounds-test-support.ts'
import { expectError, expectResult } from './test-calls.ts'

const j = (text: string): Value => parseJson(text)

function patch(doc: string, ops: string, want: string | undefined): void {
  expectResult('json.patch', [j(doc), j(ops)], want === undefined ? undefined : j(want))
}

describe('json.patch', () => {
  it('adds, removes and replaces (RFC 6902 appendix A)', () => {
    patch('{"foo": "bar"}', '[{"op": "add", "path": "/baz", "value": "qux"}]', '{"baz": "qux", "foo": "bar"}')
    patch(
      '{"foo": ["bar", "baz"]}',
      '[{"op": "add", "path": "/foo/1", "value": "qux"}]',
      '{"foo": ["bar", "qux", "baz"]}',
    )
    patch('{"baz": "qux", "foo": "bar"}', '[{"op": "remove", "path": "/baz"}]', '{"foo": "bar"}')
    patch('{"foo": ["bar", "qux", "baz"]}', '[{"op": "remove", "path": "/foo/1"}]', '{"foo": ["bar", "baz"]}')
    patch('{"baz": "qux"}', '[{"op": "replace", "path": "/baz", "value": "boo"}]', '{"baz": "boo"}')
    patch(
      '{"foo": ["bar"]}',
      '[{"op": "add", "path": "/foo/-", "value": ["abc", "def"]}]',
      '{"foo": ["bar", ["abc", "def"]]}',
    )
    patch(
      '{"foo": "bar"}',
      '[{"op": "add", "path": "/baz", "value": "qux", "xyz": 123}]',
      '{"foo": "bar", "baz": "qux"}',
    )
  })

  it('moves, copies and tests', () => {
    patch(
      '{"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}}',
      '[{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}]',
      '{"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}}',
    )
    patch(
      '{"foo": ["all", "grass", "cows", "eat"]}',
      '[{"op": "move", "from": "/foo/1", "path": "/foo/3"}]',
      '{"foo": ["all", "cows", "eat", "grass"]}',
    )
    patch('{"foo": 1}', '[{"op": "move", "from": "/foo", "path": "/foo"}]', '{"foo": 1}')
    patch(
      '{"baz": [{"qux": "hello"}], "bar": 1}',
      '[{"op": "copy", "from": "/baz/0", "path": "/boo"}]',
      '{"baz": [{"qux": "hello"}], "bar": 1, "boo": {"qux": "hello"}}',
    )
    patch(
      '{"baz": "qux", "foo": ["a", 2, "c"]}',
      '[{"op": "test", "path": "/baz", "value": "qux"}, {"op": "test", "path": "/foo/1", "value": 2}]',
      '{"baz": "qux", "foo": ["a", 2, "c"]}',
    )
    patch('{"/": 9, "~1": 10}', '[{"op": "test", "path": "/~01", "value": 10}]', '{"/": 9, "~1": 10}')
    patch('{"": 1}', '[{"op": "test", "path": "/", "value": 1}]', '{"": 1}')
  })

  it('handles the root and special paths', () => {
    patch('{}', '[{"op": "add", "path": "", "value": []}]', '[]')
    patch('{"foo": "bar"}', '[{"op": "replace", "path": "", "value": {"baz": "qux"}}]', '{"baz": "qux"}')
    patch('[]', '[{"op": "add", "path": "/-", "value": "hi"}]', '["hi"]')
    patch('{}', '[{"op": "add", "path": "/", "value": 1}]', '{"": 1}')
    patch('{"foo": {}}', '[{"op": "add", "path": "/foo/", "value": 1}]', '{"foo": {"": 1}}')
    patch('[1, 2, [3, [4, 5]]]', '[{"op": "add", "path": "/2/1/-", "value": 6}]', '[1, 2, [3, [4, 5, 6]]]')
    patch('[1, 2, 3, 4]', '[{"op": "remove", "path": "/1"}, {"op": "remove", "path": "/2"}]', '[1, 3]')
    patch('{"foo": 1}', '[{"op": "add", "path": "/0", "value": "bar"}]', '{"foo": 1, "0": "bar"}')
    patch('{"foo": 1}', '[{"op": "remove", "path": ""}]', undefined)
  })

  it('is undefined when an operation fails', () => {
    patch('{"q": {"bar": 2}}', '[{"op": "add", "path": "/a/b", "value": 1}]', undefined)
    patch('{"baz": "qux"}', '[{"op": "test", "path": "/baz", "value": "bar"}]', undefined)
    patch('{"/": 9, "~1": 10}', '[{"op": "test", "path": "/~01", "value": "10"}]', undefined)
    patch('{"bar": [1, 2]}', '[{"op": "add", "path": "/bar/8", "value": "5"}]', undefined)
    patch('{"bar": [1, 2]}', '[{"op": "add", "path": "/bar/-1", "value": "5"}]', undefined)
    patch('["foo", "bar"]', '[{"op": "test", "path": "/1e0", "value": "bar"}]', undefined)
    patch('["foo", "bar"]', '[{"op": "test", "path": "/01", "value": "bar"}]', undefined)
    patch('["foo", "sil"]', '[{"op": "add", "path": "/bar", "value": 42}]', undefined)
    patch('{}', '[{"op": "add", "value": "bar"}]', undefined)
    patch('{}', '[{"op": "add", "path": null, "value": "bar"}]', undefined)
    patch('[1]', '[{"op": "add", "path": "/-"}]', undefined)
    patch('[1]', '[{"op": "copy", "path": "/-"}]', undefined)
    patch('{"foo": 1}', '[{"op": "copy", "from": "/bar", "path": "/foo"}]', undefined)
    patch('{"foo": 1}', '[{"op": "spam", "path": "/foo", "value": 1}]', undefined)
    patch('{"foo": "bar"}', '[{"op": "remove", "path": "/baz"}]', undefined)
    patch('["foo", "bar"]', '[{"op": "remove", "path": "/2"}]', undefined)
    patch('[1, 2, 3]', '[{"op": "add", "path": "1.2", "value": "foo"}]', undefined)
    patch('{}', '[1]', undefined)
  })

  it('patches sets, whose members are their own keys', () => {
    const doc = RegoObject.from([['foo', RegoSet.from(['a', 'b', 'c'])]])
    expectResult(
      'json.patch',
      [doc, [j('{"op": "remove", "path": "foo/b"}')]],
      RegoObject.from([['foo', RegoSet.from(['a', 'c'])]]),
    )
    expectResult(
      'json.patch',
      [doc, [j('{"op": "add", "path": "foo/d", "value": "d"}')]],
      RegoObject.from([['foo', RegoSet.from(['a', 'b', 'c', 'd'])]]),
    )
    expectResult('json.patch', [doc, [j('{"op": "add", "path": "foo/d", "value": "e"}')]], undefined)
    const nested = RegoSet.from([[1]])
    const op = RegoObject.from([
      ['op', 'add'],
      ['path', [[1], 1]],
      ['value', 2],
    ])
    expectResult('json.patch', [nested, [op]], RegoSet.from([[1, 2]]))
  })

  it('requires an array of operations', () => {
    expectError('json.patch', [j('{}'), j('{}')], 'eval_type_error', 'operand 2 must be array but got object')
  })
})

describe('json.patch with null values', () => {
  it('treats null as a present value', () => {
    patch('{"foo": null}', '[{"op": "test", "path": "/foo", "value": null}]', '{"foo": null}')
    patch('{"foo": null}', '[{"op": "move", "from": "/foo", "path": "/bar"}]', '{"bar": null}')
    patch('{"foo": null}', '[{"op": "copy", "from": "/foo", "path": "/bar"}]', '{"foo": null, "bar": null}')
    patch('{"foo": null}', '[{"op": "remove", "path": "/foo"}]', '{}')
    patch('{"foo": "bar"}', '[{"op": "replace", "path": "/foo", "value": null}]', '{"foo": null}')
    patch('[""]', '[{"op": "replace", "path": "/0", "value": null}]', '[null]')
    patch('{"a": {"b": null}}', '[{"op": "add", "path": "/a/b/c", "value": 1}]', undefined)
  })
})

describe('json.patch on large documents', () => {
  it('charges each copy of a rebuilt parent and stops at the step bound', () => {
    const ops = (n: number): string =>
      `ops := [{"op": "add", "path": sprintf("/%d", [i]), "value": i} | some i in numbers.range(1, ${n})]\n`
    assert.equal(evalBounded(`${ops(200)}p := count(json.patch({}, ops))`), 200)
    expectLimitError(`${ops(2000)}p := count(json.patch({}, ops))`)
  })
})
