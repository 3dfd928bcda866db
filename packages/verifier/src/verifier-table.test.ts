import assert from 'node:assert/strict'
import { test } from 'node:test'
import { VerificationError } from './verifier.ts'
import { verifierFor } from './verifier-table.ts'

test('TEEs without a verifier are UNSUPPORTED_TEE', () => {
  assert.throws(
    () => verifierFor('se'),
    (e: unknown) => e instanceof VerificationError && e.code === 'UNSUPPORTED_TEE',
  )
  assert.ok(verifierFor('sample'))
  assert.ok(verifierFor('sampledevice'))
  assert.ok(verifierFor('snp'))
})

test('one verifier instance per TEE, so what it keeps outlives a request', () => {
  assert.equal(verifierFor('cca'), verifierFor('cca'))
  assert.notEqual(verifierFor('cca'), verifierFor('snp'))
})
