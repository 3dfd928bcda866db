import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { CollateralRequest } from '../collateral/collateral-source.ts'
import { rejectsWith } from '../verifier-contract.ts'
import { fakeCollateral } from './snp-test-support.ts'
import { syntheticSnpPki } from './snp-synthetic-pki.ts'

// A CRL listing the ASK (CERT_REVOKED) is the contract's revokedCertificate case (snp-verifier.test.ts).
const { golden, ask, vcek, evidence, expected, at, verifier, withCrl } = syntheticSnpPki()

test('snp revocation: a current ARK-signed CRL that does not list the ASK passes, and was asked for', async () => {
  const collateral = withCrl([vcek])
  const [result] = await verifier.verify(evidence, expected, { at, collateral })
  assert.deepEqual(result?.claims, golden.claims)
  const request: CollateralRequest | undefined = collateral.requests.find((r) => r.kind === 'amd-crl')
  assert.deepEqual(request, { kind: 'amd-crl', product: 'Milan', signer: 'vcek' })
})

test('snp revocation: a CRL not signed by the ARK is COLLATERAL_INVALID; a stale one CERT_EXPIRED', async () => {
  await rejectsWith(
    verifier.verify(evidence, expected, { at, collateral: withCrl([], { signedBy: ask }) }),
    'COLLATERAL_INVALID',
  )
  await rejectsWith(
    verifier.verify(evidence, expected, { at, collateral: withCrl([], { nextUpdate: new Date('2025-01-01') }) }),
    'CERT_EXPIRED',
  )
  await rejectsWith(
    verifier.verify(evidence, expected, { at, collateral: fakeCollateral({ 'amd-crl': new Uint8Array([1, 2]) }) }),
    'COLLATERAL_INVALID',
  )
})
