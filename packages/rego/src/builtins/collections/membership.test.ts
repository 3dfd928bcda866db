import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { evalBounded, expectLimitError } from '../bounds-test-support.ts'
import { RegoObject, RegoSet } from '../../value/value.ts'
import { expectResult } from './test-calls.ts'

describe('internal.member_2', () => {
  it('finds array and set elements and object values', () => {
    expectResult('internal.member_2', [2, [1, 2.0]], true)
    expectResult('internal.member_2', [3, [1, 2]], false)
    expectResult('internal.member_2', [[1], RegoSet.from([[1], 'x'])], true)
    expectResult('internal.member_2', ['v', RegoObject.from([['k', 'v']])], true)
    expectResult('internal.member_2', ['k', RegoObject.from([['k', 'v']])], false)
  })

  it('is false for scalars, never an error', () => {
    expectResult('internal.member_2', ['a', 'abc'], false)
    expectResult('internal.member_2', [1, null], false)
    expectResult('internal.member_2', [1, 1], false)
  })
})

describe('internal.member_3', () => {
  it('matches array indexes, object keys and set members', () => {
    expectResult('internal.member_3', [1, 'b', ['a', 'b']], true)
    expectResult('internal.member_3', [1.0, 'b', ['a', 'b']], true)
    expectResult('internal.member_3', [0, 'b', ['a', 'b']], false)
    expectResult('internal.member_3', [2, 'b', ['a', 'b']], false)
    expectResult('internal.member_3', [-1, 'b', ['a', 'b']], false)
    expectResult('internal.member_3', ['0', 'a', ['a', 'b']], false)
    expectResult('internal.member_3', ['k', 'v', RegoObject.from([['k', 'v']])], true)
    expectResult('internal.member_3', ['k', 'w', RegoObject.from([['k', 'v']])], false)
    expectResult('internal.member_3', [1, 1, RegoSet.from([1])], true)
    expectResult('internal.member_3', [1, 2, RegoSet.from([1, 2])], false)
    expectResult('internal.member_3', [0, 'a', 'abc'], false)
  })
})

describe('membership in large arrays', () => {
  it('is charged by the elements searched', () => {
    expectLimitError('p := count([i | some i in numbers.range(1, 10); i in input])', {
      input: Array.from({ length: 20_000 }, (_, i) => -i),
    })
    assert.equal(evalBounded('p := 3 in input', { input: [1, 2, 3] }), true)
  })
})
