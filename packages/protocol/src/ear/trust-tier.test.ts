import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AR4SI_CLAIMS, statusOf, tierOf } from './trust-tier.ts'

describe('tierOf', () => {
  it("follows the ear crate's ranges, including the asymmetric edges", () => {
    const cases: [number, string][] = [
      [0, 'none'],
      [1, 'none'],
      [-1, 'none'],
      [2, 'affirming'],
      [31, 'affirming'],
      [-2, 'affirming'],
      [-32, 'affirming'],
      [32, 'warning'],
      [95, 'warning'],
      [-33, 'warning'],
      [-96, 'warning'],
      [96, 'contraindicated'],
      [97, 'contraindicated'],
      [127, 'contraindicated'],
      [-97, 'contraindicated'],
      [-128, 'contraindicated'],
    ]
    for (const [value, tier] of cases) assert.equal(tierOf(value), tier, String(value))
  })
})

describe('statusOf', () => {
  it('is the worst tier, none for an empty vector', () => {
    assert.equal(statusOf({}), 'none')
    assert.equal(statusOf({ executables: 0, hardware: 1 }), 'none')
    assert.equal(statusOf({ executables: 3, hardware: 2, configuration: 2 }), 'affirming')
    assert.equal(statusOf({ executables: 3, hardware: 2, configuration: 36 }), 'warning')
    // Trustee's default CPU policy without reference values.
    assert.equal(statusOf({ executables: 33, hardware: 97, configuration: 36 }), 'contraindicated')
  })

  it('lists the eight AR4SI claims in key order', () => {
    assert.deepEqual(
      [...AR4SI_CLAIMS],
      [
        'instance-identity',
        'configuration',
        'executables',
        'file-system',
        'hardware',
        'runtime-opaque',
        'storage-opaque',
        'sourced-data',
      ],
    )
  })
})
