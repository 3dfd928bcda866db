import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { CollateralRequest } from '../collateral/collateral-source.ts'
import { octetString, smallInteger } from '@carapace/protocol/der'
import { createTestCertificate, createTestCrl, testKey, type TestCertificate } from '../pkix/test-support/test-pki.ts'
import { rejectsWith } from '../verifier-contract.ts'
import { snpEvidenceJson } from './snp-evidence.ts'
import { SnpOffset } from './snp-report.ts'
import { fakeCollateral, goldenReports, resignReport, snpFixture } from './snp-test-support.ts'
import { createSnpVerifier } from './snp-verifier.ts'

// A synthetic AMD-shaped PKI pinned in place of AMD's, so CRLs can be signed by "the ARK".
const golden = goldenReports()['oak-milan-oc']
assert.ok(golden !== undefined)
const original = snpFixture(golden.report)
const chipId = original.slice(SnpOffset.chipId, SnpOffset.chipId + 64)
const ark = createTestCertificate({ commonName: 'ARK-Milan', ca: true, key: testKey('ec-p384') })
const ask = createTestCertificate({ commonName: 'SEV-Milan', ca: true, issuer: ark, key: testKey('ec-p384') })
const spl = (n: number, value: number): { oid: string; value: Uint8Array } => ({
  oid: `1.3.6.1.4.1.3704.1.3.${String(n)}`,
  value: smallInteger(value),
})
const vcek = createTestCertificate({
  commonName: 'SEV-VCEK',
  issuer: ask,
  key: testKey('ec-p384'),
  extensions: [
    spl(1, 4),
    spl(2, 0),
    spl(3, 24),
    spl(8, 219),
    { oid: '1.3.6.1.4.1.3704.1.4', value: octetString(chipId) },
  ],
})
const report = resignReport(original, vcek.key.privateKey)
const evidence = snpEvidenceJson(report, [{ certType: 'VCEK', data: vcek.der }])
const expected = { reportData: report.slice(SnpOffset.reportData, SnpOffset.reportData + 64) }
const at = new Date(golden.at)
const verifier = createSnpVerifier({ roots: () => ({ ark: ark.x509, ask: ask.x509, asvk: ask.x509 }) })

const withCrl = (
  revoked: readonly TestCertificate[],
  options: { signedBy?: TestCertificate; nextUpdate?: Date } = {},
) =>
  fakeCollateral({
    'amd-crl': createTestCrl({
      issuer: ark,
      revoked: revoked.map((certificate) => ({ certificate })),
      ...(options.signedBy === undefined ? {} : { signingKey: options.signedBy.key }),
      ...(options.nextUpdate === undefined ? {} : { nextUpdate: options.nextUpdate }),
    }),
  })

test('snp revocation: a current ARK-signed CRL that does not list the ASK passes, and was asked for', async () => {
  const collateral = withCrl([vcek])
  const [result] = await verifier.verify(evidence, expected, { at, collateral })
  assert.deepEqual(result?.claims, golden.claims)
  const request: CollateralRequest | undefined = collateral.requests.find((r) => r.kind === 'amd-crl')
  assert.deepEqual(request, { kind: 'amd-crl', product: 'Milan', signer: 'vcek' })
})

test('snp revocation: a CRL listing the ASK is CERT_REVOKED', async () => {
  await rejectsWith(verifier.verify(evidence, expected, { at, collateral: withCrl([ask]) }), 'CERT_REVOKED')
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
