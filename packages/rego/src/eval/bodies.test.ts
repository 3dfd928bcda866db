import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fromJS } from '../value/json.ts'
import { run, value } from './test-helpers.ts'

test('bodies: bindings of single-solution expressions are undone when an earlier generator moves on', () => {
  assert.deepEqual(run('package t', 'some x in [1, 2, 3]; y := x * 2; y > 2; z := y + 1'), [
    { x: 2, y: 4, z: 5 },
    { x: 3, y: 6, z: 7 },
  ])
  assert.deepEqual(value('package t', '[[x, y] | some x in [1, 2]; y := x + 1; some w in [y, 0]; w > 0]'), [
    [1, 2],
    [2, 3],
  ])
})

test('bodies: a variable bound while its value was computed is compared, not rebound', () => {
  assert.deepEqual(run('package t', 'x = 1; x = 1'), [{ x: 1 }])
  assert.deepEqual(run('package t', 'x = 1; x = 2'), [])
  assert.deepEqual(run('package t', '[x, 2] = [1, y]; y = 2'), [{ x: 1, y: 2 }])
})

test('bodies: negation, every and some-in as single-solution expressions', () => {
  const m = `package t
p contains x if {
  some x in input.xs
  not x == 2
  every y in input.ys { y < x }
}`
  assert.deepEqual(value(m, 'data.t.p', { input: fromJS({ xs: [1, 2, 3, 4], ys: [0, 2] }) }), [3, 4])
  assert.deepEqual(run('package t', 'some k, v in {"a": 1, "b": 2}; v > 1'), [{ k: 'b', v: 2 }])
  assert.deepEqual(run('package t', 'xs := [[1, 2], [3, 4]]; some [a, b] in xs; a > 1'), [
    {
      xs: [
        [1, 2],
        [3, 4],
      ],
      a: 3,
      b: 4,
    },
  ])
})

test('bodies: iteration over a reference binds each key, and nested keys in order', () => {
  assert.deepEqual(run('package t', 'xs := {"a": [1], "b": [2, 3]}; v := xs[k][i]'), [
    { xs: { a: [1], b: [2, 3] }, k: 'a', i: 0, v: 1 },
    { xs: { a: [1], b: [2, 3] }, k: 'b', i: 0, v: 2 },
    { xs: { a: [1], b: [2, 3] }, k: 'b', i: 1, v: 3 },
  ])
})
