import { describe, it } from 'node:test'
import { RegoObject, RegoSet } from '../../value/value.ts'
import { expectResult } from './test-calls.ts'

describe('comparison operators', () => {
  it('equal and neq use Rego equality', () => {
    expectResult('equal', [1, 1.0], true)
    expectResult('equal', [28857836529306024611913n, 28857836529306024611912n], false)
    expectResult('neq', [28857836529306024611913n, 28857836529306024611912n], true)
    expectResult('equal', [RegoSet.from([1, 2]), RegoSet.from([2, 1])], true)
    expectResult('equal', [[1], RegoSet.from([1])], false)
    expectResult('neq', ['a', 'a'], false)
  })

  it('lt lte gt gte use the total order across types', () => {
    expectResult('lt', [1, 2], true)
    expectResult('lt', [null, false], true)
    expectResult('lt', [9999, 'a'], true)
    expectResult('gt', [new RegoObject(), [1, 2, 3]], true)
    expectResult('gt', [RegoSet.from([]), RegoObject.from([['a', 1]])], true)
    expectResult('lte', [2, 2.0], true)
    expectResult('gte', ['a', 'b'], false)
    expectResult('gte', [2n ** 64n, 2 ** 63], true)
  })
})
