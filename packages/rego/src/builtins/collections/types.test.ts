import { describe, it } from 'node:test'
import { RegoObject, RegoSet, type Value } from '../../value/value.ts'
import { expectResult } from './test-calls.ts'

describe('type tests and type_name', () => {
  const samples: [Value, string][] = [
    [null, 'null'],
    [false, 'boolean'],
    [-42.5, 'number'],
    [2n ** 70n, 'number'],
    ['', 'string'],
    [[1], 'array'],
    [RegoObject.from([['a', 1]]), 'object'],
    [RegoSet.from([1]), 'set'],
  ]
  const tests: [string, string][] = [
    ['is_null', 'null'],
    ['is_boolean', 'boolean'],
    ['is_number', 'number'],
    ['is_string', 'string'],
    ['is_array', 'array'],
    ['is_object', 'object'],
    ['is_set', 'set'],
  ]

  it('is_* answer true or false for every type', () => {
    for (const [v, type] of samples) for (const [name, want] of tests) expectResult(name, [v], type === want)
  })

  it('type_name names every type', () => {
    for (const [v, type] of samples) expectResult('type_name', [v], type)
  })
})
