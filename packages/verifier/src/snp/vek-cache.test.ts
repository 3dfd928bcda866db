import assert from 'node:assert/strict'
import { test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { snpFixture } from './snp-test-support.ts'
import { createVekCache } from './vek-cache.ts'

test('VEK cache: one parsed certificate per content, bounded, malformed input typed', () => {
  const cache = createVekCache(1)
  const milan = snpFixture('oak-milan-oc-vcek.der')
  const first = cache.certificate(milan)
  assert.equal(cache.certificate(new Uint8Array(milan)), first)
  cache.certificate(snpFixture('oak-genoa-vcek.der'))
  assert.notEqual(cache.certificate(milan), first)
  assert.throws(
    () => cache.certificate(new Uint8Array([0x30, 0x00])),
    (e: unknown) => e instanceof VerificationError && e.code === 'CERT_CHAIN_INVALID',
  )
})
