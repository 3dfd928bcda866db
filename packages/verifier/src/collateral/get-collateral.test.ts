import assert from 'node:assert/strict'
import { test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import type { CollateralSource } from './collateral-source.ts'
import { getCollateral } from './get-collateral.ts'

const REQUEST = { kind: 'intel-pck-crl', ca: 'platform' } as const

test('no source, or a source without the object, is undefined', async () => {
  assert.equal(await getCollateral(undefined, REQUEST), undefined)
  assert.equal(await getCollateral({ get: () => Promise.resolve(undefined) }, REQUEST), undefined)
})

test('a failing source is COLLATERAL_UNAVAILABLE naming the object and keeping the cause', async () => {
  const cause = new Error('HTTP 503')
  const failing: CollateralSource = { get: () => Promise.reject(cause) }
  await assert.rejects(getCollateral(failing, REQUEST), (error: unknown) => {
    assert.ok(error instanceof VerificationError)
    assert.equal(error.code, 'COLLATERAL_UNAVAILABLE')
    assert.match(error.message, /intel\/pck-crl\/platform.*HTTP 503/)
    assert.equal(error.cause, cause)
    return true
  })
})

test('a VerificationError from the source keeps its own code', async () => {
  const invalid = new VerificationError('COLLATERAL_INVALID', 'bad')
  await assert.rejects(
    getCollateral({ get: () => Promise.reject(invalid) }, REQUEST),
    (error: unknown) => error === invalid,
  )
})

test('a source that throws instead of rejecting is COLLATERAL_UNAVAILABLE too', async () => {
  const cause = new Error('sync failure')
  const throwing: CollateralSource = {
    get: () => {
      throw cause
    },
  }
  await assert.rejects(getCollateral(throwing, REQUEST), (error: unknown) => {
    assert.ok(error instanceof VerificationError)
    assert.equal(error.code, 'COLLATERAL_UNAVAILABLE')
    assert.equal(error.cause, cause)
    return true
  })
})
