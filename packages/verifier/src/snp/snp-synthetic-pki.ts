import assert from 'node:assert/strict'
import { octetString, smallInteger } from '@carapace/protocol/der'
import { createTestCertificate, createTestCrl, testKey, type TestCertificate } from '../pkix/test-support/test-pki.ts'
import type { ExpectedBinding, Verifier } from '../verifier.ts'
import { snpEvidenceJson } from './snp-evidence.ts'
import { SnpOffset } from './snp-report.ts'
import { fakeCollateral, goldenReports, resignReport, snpFixture, type GoldenReport } from './snp-test-support.ts'
import { createSnpVerifier } from './snp-verifier.ts'

/** Test support: a synthetic AMD-shaped PKI pinned in place of AMD's, so CRLs can be signed by "the ARK". */
export interface SyntheticSnpPki {
  readonly golden: GoldenReport
  readonly ark: TestCertificate
  readonly ask: TestCertificate
  readonly vcek: TestCertificate
  /** The oak-milan-oc report re-signed by the synthetic VCEK, as evidence JSON with that VCEK. */
  readonly evidence: string
  readonly expected: ExpectedBinding
  readonly at: Date
  /** An SNP verifier pinned to the synthetic ARK/ASK. */
  readonly verifier: Verifier
  /** A collateral source answering `amd-crl` with an ARK-issued CRL listing `revoked`. */
  readonly withCrl: (
    revoked: readonly TestCertificate[],
    options?: { signedBy?: TestCertificate; nextUpdate?: Date },
  ) => ReturnType<typeof fakeCollateral>
}

/** A synthetic ARK → ASK ("SEV-Milan") → VCEK whose extensions match `report`'s TCB (4/0/24/219) and chip id. */
export function syntheticAmdChain(report: Uint8Array): {
  ark: TestCertificate
  ask: TestCertificate
  vcek: TestCertificate
} {
  const chipId = report.slice(SnpOffset.chipId, SnpOffset.chipId + 64)
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
  return { ark, ask, vcek }
}

/** An `amd-crl` collateral source: an ARK-issued CRL listing `revoked`. */
export function syntheticAmdCrl(
  ark: TestCertificate,
  revoked: readonly TestCertificate[],
  options: { signedBy?: TestCertificate; nextUpdate?: Date } = {},
): ReturnType<typeof fakeCollateral> {
  return fakeCollateral({
    'amd-crl': createTestCrl({
      issuer: ark,
      revoked: revoked.map((certificate) => ({ certificate })),
      ...(options.signedBy === undefined ? {} : { signingKey: options.signedBy.key }),
      ...(options.nextUpdate === undefined ? {} : { nextUpdate: options.nextUpdate }),
    }),
  })
}

export function syntheticSnpPki(): SyntheticSnpPki {
  const golden = goldenReports()['oak-milan-oc']
  assert.ok(golden !== undefined)
  const original = snpFixture(golden.report)
  const { ark, ask, vcek } = syntheticAmdChain(original)
  const report = resignReport(original, vcek.key.privateKey)
  return {
    golden,
    ark,
    ask,
    vcek,
    evidence: snpEvidenceJson(report, [{ certType: 'VCEK', data: vcek.der }]),
    expected: { reportData: report.slice(SnpOffset.reportData, SnpOffset.reportData + 64) },
    at: new Date(golden.at),
    verifier: createSnpVerifier({ roots: () => ({ ark: ark.x509, ask: ask.x509, asvk: ask.x509 }) }),
    withCrl: (revoked, options = {}) => syntheticAmdCrl(ark, revoked, options),
  }
}
