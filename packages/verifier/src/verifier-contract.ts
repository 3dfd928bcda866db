import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { JsonObject } from '@carapace/protocol'
import {
  VerificationError,
  type ExpectedBinding,
  type TeeClass,
  type VerificationContext,
  type VerificationErrorCode,
  type Verifier,
} from './verifier.ts'

/*
 * What every verifier must do, run by each verifier's test file. It imports node:test, so it is
 * exported as `@carapace/verifier/contract`, not from the package entry.
 */

/** Evidence (and, where needed, context) that must be refused with one error code. */
export interface RejectedCase {
  readonly evidence: unknown
  readonly expected?: ExpectedBinding
  readonly context?: VerificationContext
  /** The verifier for this case when it needs another configuration (a synthetic root whose key signs a CRL). */
  readonly verifier?: Verifier
}

export interface VerifierContractCase {
  readonly verifier: Verifier
  /** Evidence produced for `expected`, accepted with `claims` (at `context.at`, with `context.collateral`). */
  readonly golden: {
    evidence: unknown
    expected: ExpectedBinding
    claims: JsonObject[]
    teeClass: TeeClass
    context?: VerificationContext
  }
  /** Other report data than the golden evidence carries. */
  readonly wrongReportData: Uint8Array
  /** The TEE refuses to verify without report data (upstream `hygondcu` bails on `NotProvided`). */
  readonly reportDataRequired?: boolean
  /** Evidence that is cut short, for a verifier with a binary format; JSON text cut in half otherwise. */
  readonly truncated: unknown
  /** Another init-data digest than the evidence is bound to (TEEs that bind init data). */
  readonly wrongInitDataDigest?: Uint8Array
  /** The golden evidence with its signature (or signed bytes) altered: SIGNATURE_INVALID. */
  readonly tamperedSignature?: RejectedCase
  /** A chain that ends at a root other than the pinned one: CERT_UNTRUSTED_ROOT. */
  readonly untrustedRoot?: RejectedCase
  /** A time (or collateral) at which a certificate of the chain is expired: CERT_EXPIRED. */
  readonly expiredCertificate?: RejectedCase
  /** A CRL (in `context.collateral`) that revokes a certificate of the chain: CERT_REVOKED. */
  readonly revokedCertificate?: RejectedCase
}

export async function rejectsWith(run: Promise<unknown>, code: VerificationErrorCode): Promise<void> {
  await assert.rejects(run, (error: unknown) => {
    assert.ok(error instanceof VerificationError, `expected a VerificationError, got ${String(error)}`)
    assert.equal(error.code, code, error.message)
    return true
  })
}

export function verifierContract(name: string, make: () => VerifierContractCase): void {
  const rejected = (
    label: string,
    pick: (c: VerifierContractCase) => RejectedCase | undefined,
    code: VerificationErrorCode,
  ): void => {
    const probe = make()
    if (pick(probe) === undefined) return
    test(`${name}: ${label} is ${code}`, async () => {
      const c = make()
      const bad = pick(c)
      assert.ok(bad !== undefined)
      await rejectsWith(
        (bad.verifier ?? c.verifier).verify(
          bad.evidence,
          bad.expected ?? c.golden.expected,
          bad.context ?? c.golden.context,
        ),
        code,
      )
    })
  }

  test(`${name}: golden evidence gives the expected claims`, async () => {
    const c = make()
    const results = await c.verifier.verify(c.golden.evidence, c.golden.expected, c.golden.context)
    assert.deepEqual(
      results.map((r) => r.claims),
      c.golden.claims,
    )
    for (const r of results) assert.equal(r.teeClass, c.golden.teeClass)
  })
  test(`${name}: other report data is REPORT_DATA_MISMATCH`, async () => {
    const c = make()
    await rejectsWith(
      c.verifier.verify(c.golden.evidence, { ...c.golden.expected, reportData: c.wrongReportData }, c.golden.context),
      'REPORT_DATA_MISMATCH',
    )
  })
  test(`${name}: without report data (upstream's NotProvided) the binding is not checked`, async () => {
    const c = make()
    const { initDataDigest } = c.golden.expected
    const run = c.verifier.verify(
      c.golden.evidence,
      initDataDigest === undefined ? {} : { initDataDigest },
      c.golden.context,
    )
    if (c.reportDataRequired === true) {
      await rejectsWith(run, 'REPORT_DATA_MISMATCH')
      return
    }
    const results = await run
    assert.equal(results.length, c.golden.claims.length)
  })
  test(`${name}: truncated evidence is EVIDENCE_MALFORMED`, async () => {
    const c = make()
    await rejectsWith(c.verifier.verify(c.truncated, c.golden.expected, c.golden.context), 'EVIDENCE_MALFORMED')
  })
  test(`${name}: garbage is EVIDENCE_MALFORMED`, async () => {
    const c = make()
    for (const garbage of [null, 42, [], 'not json', new Uint8Array([0xff, 0x00, 0x13]), {}]) {
      await rejectsWith(c.verifier.verify(garbage, c.golden.expected, c.golden.context), 'EVIDENCE_MALFORMED')
    }
  })
  rejected(
    'another init-data digest',
    (c) =>
      c.wrongInitDataDigest === undefined
        ? undefined
        : { evidence: c.golden.evidence, expected: { ...c.golden.expected, initDataDigest: c.wrongInitDataDigest } },
    'INIT_DATA_MISMATCH',
  )
  rejected('a tampered signature', (c) => c.tamperedSignature, 'SIGNATURE_INVALID')
  rejected('a chain to another root', (c) => c.untrustedRoot, 'CERT_UNTRUSTED_ROOT')
  rejected('an expired certificate', (c) => c.expiredCertificate, 'CERT_EXPIRED')
  rejected('a revoked certificate', (c) => c.revokedCertificate, 'CERT_REVOKED')
}
