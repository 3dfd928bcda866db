import assert from 'node:assert/strict'
import type { X509Certificate } from 'node:crypto'
import { describe, test } from 'node:test'
import { validAt, validityOf } from './cert-validity.ts'
import { intelSgxRootCa } from './pck-chain.ts'

describe('certificate validity periods', () => {
  test('parsed once per certificate object, bounds included', () => {
    const root: X509Certificate = intelSgxRootCa()
    const period = validityOf(root)
    assert.equal(period, validityOf(root))
    assert.equal(period.from, new Date(root.validFrom).getTime())
    assert.equal(period.to, new Date(root.validTo).getTime())
    assert.equal(validAt(root, new Date(period.from)), true)
    assert.equal(validAt(root, new Date(period.to)), true)
    assert.equal(validAt(root, new Date(period.from - 1)), false)
    assert.equal(validAt(root, new Date(period.to + 1)), false)
  })
})
