import assert from 'node:assert/strict'
import { test } from 'node:test'
import { toJsonText } from '../value/json.ts'
import { RegoObject } from '../value/value.ts'
import { mergeDataAt } from './data-tree.ts'

const obj = (o: Record<string, unknown>): RegoObject => {
  const out = new RegoObject()
  for (const [k, v] of Object.entries(o)) out.set(k, v as never)
  return out
}

test('merges documents at the root and under a path', () => {
  let root = new RegoObject()
  root = mergeDataAt(root, [], obj({ a: 1 }), 'one.json')
  root = mergeDataAt(root, ['x', 'y'], obj({ b: 2 }), 'x/y/data.json')
  root = mergeDataAt(root, ['x'], obj({ c: 3 }), 'x/data.json')
  assert.equal(toJsonText(root), '{"a":1,"x":{"c":3,"y":{"b":2}}}')
})

test('merges nested objects key by key and leaves the input unchanged', () => {
  const first = mergeDataAt(new RegoObject(), [], obj({ a: obj({ b: 1 }) }), 'one.json')
  const second = mergeDataAt(first, [], obj({ a: obj({ c: 2 }) }), 'two.json')
  assert.equal(toJsonText(second), '{"a":{"b":1,"c":2}}')
  assert.equal(toJsonText(first), '{"a":{"b":1}}')
})

test('rejects a second value for the same path', () => {
  const first = mergeDataAt(new RegoObject(), [], obj({ a: obj({ b: 1 }) }), 'one.json')
  assert.throws(() => mergeDataAt(first, [], obj({ a: obj({ b: 2 }) }), 'two.json'), /two.json: merge error: data.a.b/)
  assert.throws(() => mergeDataAt(first, ['a', 'b'], obj({}), 'a/b/x.json'), /merge error: data.a.b/)
  assert.throws(() => mergeDataAt(first, [], [1], 'list.json'), /must be an object/)
})
