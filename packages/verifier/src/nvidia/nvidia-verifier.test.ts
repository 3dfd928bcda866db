import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { describe, test } from 'node:test'
import type { JsonObject } from '@carapace/protocol'
import { NO_COLLATERAL, type CollateralSource } from '../collateral/collateral-source.ts'
import { rejectsWith, verifierContract } from '../verifier-contract.ts'
import type { VerificationContext } from '../verifier.ts'
import { parsePemChain, verifyNvidiaChain } from './nvidia-cert-chain.ts'
import {
  HOPPER_NONCE,
  UUID,
  deviceEvidence,
  fixtureText,
  fwidOffset,
  hopperReport,
  nvidiaEvidence,
  resignedReport,
  syntheticChainPem,
  syntheticRootPem,
} from './nvidia-test-evidence.ts'
import { pinnedNvidiaRoot } from './nvidia-root.ts'
import { createNvidiaVerifier } from './nvidia-verifier.ts'

const AT = new Date('2025-06-01T00:00:00Z')
const context: VerificationContext = { at: AT, collateral: NO_COLLATERAL }
/** 64 bytes whose first 32 are the nonce: the verifier truncates the report data to 32. */
const reportData = new Uint8Array([...HOPPER_NONCE, ...new Uint8Array(32).fill(0xab)])
const goldenClaims = JSON.parse(fixtureText('hopperAttestationReport-claims.txt')) as JsonObject
const golden = nvidiaEvidence(deviceEvidence({ uuid: UUID }))

const syntheticRoot: CollateralSource = {
  get: (request) =>
    Promise.resolve(
      request.kind === 'nvidia-root' ? { body: new TextEncoder().encode(syntheticRootPem()) } : undefined,
    ),
}
/** The synthetic leaf was issued when the fixtures were made; judge it well inside its validity. */
const syntheticContext: VerificationContext = { at: new Date('2030-01-01T00:00:00Z'), collateral: syntheticRoot }

function tamperedSignatureReport(): Uint8Array {
  const report = hopperReport()
  report[report.length - 1] = (report[report.length - 1] ?? 0) ^ 0x01
  return report
}

verifierContract('nvidia', () => ({
  verifier: createNvidiaVerifier(),
  golden: { evidence: golden, expected: { reportData }, claims: [goldenClaims], teeClass: 'gpu', context },
  wrongReportData: new Uint8Array(32),
  truncated: nvidiaEvidence({
    ...deviceEvidence({ uuid: UUID }),
    evidence: deviceEvidence().evidence?.slice(0, 4000) ?? '',
  }),
  tamperedSignature: { evidence: nvidiaEvidence(deviceEvidence({ uuid: UUID, report: tamperedSignatureReport() })) },
  untrustedRoot: {
    evidence: nvidiaEvidence(deviceEvidence({ uuid: UUID, report: resignedReport(), chainPem: syntheticChainPem() })),
  },
  expiredCertificate: { evidence: golden, context: { at: new Date('2019-01-01T00:00:00Z') } },
}))

describe('nvidia certificate chains (upstream cases 1–4)', () => {
  const fwid = (goldenClaims.config as JsonObject).fwid as string
  const chain = (n: number): X509Certificate[] => parsePemChain(fixtureText(`hopper_cert_chain_case${String(n)}.txt`))

  test('case 1: the real H100 chain verifies to the pinned root and yields its leaf', () => {
    const signer = verifyNvidiaChain(chain(1), pinnedNvidiaRoot(), AT)
    assert.match(signer.leaf.subject, /GH100 A01 GSP FMC LF/u)
    assert.equal(signer.fwid, fwid)
  })
  const refused = (n: number, message: RegExp, label: string): void => {
    test(`case ${String(n)}: ${label} is CERT_CHAIN_INVALID`, () => {
      assert.throws(
        () => verifyNvidiaChain(chain(n), pinnedNvidiaRoot(), AT),
        (e: unknown) => e instanceof Error && 'code' in e && e.code === 'CERT_CHAIN_INVALID' && message.test(e.message),
      )
    })
  }
  refused(2, /at least the signing certificate and the root/u, 'only the root CA')
  refused(3, /no issuer certificate/u, 'a missing intermediate CA')
  refused(4, /FWID extension .* is missing/u, 'a missing signing certificate')
})

describe('nvidia verifier', () => {
  const verifier = createNvidiaVerifier()

  test('a chain missing its intermediate is refused in a full verification', async () => {
    const evidence = nvidiaEvidence(deviceEvidence({ chainPem: fixtureText('hopper_cert_chain_case3.txt') }))
    await rejectsWith(verifier.verify(evidence, { reportData }, context), 'CERT_CHAIN_INVALID')
  })

  test('several GPUs give one gpu claims set each, in order; base64 evidence and no uuid are accepted', async () => {
    const evidence = nvidiaEvidence(
      deviceEvidence({ uuid: 'GPU-0' }),
      deviceEvidence({ encoding: 'base64', arch: 'Hopper' }),
      deviceEvidence({ uuid: 'GPU-2' }),
    )
    const results = await verifier.verify(evidence, { reportData: HOPPER_NONCE }, context)
    const withoutUuid = Object.fromEntries(Object.entries(goldenClaims).filter(([key]) => key !== 'uuid'))
    assert.deepEqual(
      results.map((r) => r.claims),
      [{ ...goldenClaims, uuid: 'GPU-0' }, withoutUuid, { ...goldenClaims, uuid: 'GPU-2' }],
    )
    assert.deepEqual(
      results.map((r) => r.teeClass),
      ['gpu', 'gpu', 'gpu'],
    )
  })

  test('one bad GPU among good ones fails the whole evidence', async () => {
    const evidence = nvidiaEvidence(
      deviceEvidence({ uuid: 'GPU-0' }),
      deviceEvidence({ report: tamperedSignatureReport() }),
    )
    await rejectsWith(verifier.verify(evidence, { reportData }, context), 'SIGNATURE_INVALID')
  })

  test('the root may come from the collateral (nvidia-root.pem) instead of the pinned one', async () => {
    const evidence = nvidiaEvidence(
      deviceEvidence({ uuid: UUID, report: resignedReport(), chainPem: syntheticChainPem() }),
    )
    const results = await verifier.verify(evidence, { reportData }, syntheticContext)
    assert.deepEqual(
      results.map((r) => r.claims),
      [goldenClaims],
    )
    await rejectsWith(verifier.verify(golden, { reportData }, syntheticContext), 'CERT_UNTRUSTED_ROOT')
  })

  test('a report whose fwid is not the signing certificate’s is CERT_CHAIN_INVALID, even when validly signed', async () => {
    const report = resignedReport((r) => {
      const at = fwidOffset(r)
      r[at] = (r[at] ?? 0) ^ 0xff
    })
    const evidence = nvidiaEvidence(deviceEvidence({ report, chainPem: syntheticChainPem() }))
    await rejectsWith(verifier.verify(evidence, { reportData }, syntheticContext), 'CERT_CHAIN_INVALID')
  })

  test('a changed measurement is SIGNATURE_INVALID', async () => {
    const report = hopperReport()
    report[37 + 8 + 4 + 3] = (report[37 + 8 + 4 + 3] ?? 0) ^ 0x01
    await rejectsWith(
      verifier.verify(nvidiaEvidence(deviceEvidence({ report })), { reportData }, context),
      'SIGNATURE_INVALID',
    )
  })

  test('architectures other than Hopper are UNSUPPORTED_VERSION locally; unknown ones EVIDENCE_MALFORMED', async () => {
    for (const arch of ['BLACKWELL', 'LS10']) {
      await rejectsWith(
        verifier.verify(nvidiaEvidence(deviceEvidence({ arch })), { reportData }, context),
        'UNSUPPORTED_VERSION',
      )
    }
    await rejectsWith(
      verifier.verify(nvidiaEvidence(deviceEvidence({ arch: 'Volta' })), { reportData }, context),
      'EVIDENCE_MALFORMED',
    )
  })

  test('an empty device list and bytes after the signature are EVIDENCE_MALFORMED', async () => {
    await rejectsWith(verifier.verify(nvidiaEvidence(), { reportData }, context), 'EVIDENCE_MALFORMED')
    const report = new Uint8Array([...hopperReport(), 0])
    await rejectsWith(
      verifier.verify(nvidiaEvidence(deviceEvidence({ report })), { reportData }, context),
      'EVIDENCE_MALFORMED',
    )
  })

  test('a chain remembered as valid is judged again at a time outside its certificates’ validity', async () => {
    const same = createNvidiaVerifier()
    await same.verify(golden, { reportData }, context)
    await rejectsWith(same.verify(golden, { reportData }, { at: new Date('2019-01-01T00:00:00Z') }), 'CERT_EXPIRED')
    await rejectsWith(
      same.verify(nvidiaEvidence(deviceEvidence({ report: tamperedSignatureReport() })), { reportData }, context),
      'SIGNATURE_INVALID',
    )
    await same.verify(golden, { reportData }, context)
  })

  test('report data shorter than 32 bytes is zero-padded before the nonce comparison', async () => {
    await rejectsWith(
      verifier.verify(golden, { reportData: HOPPER_NONCE.subarray(0, 31) }, context),
      'REPORT_DATA_MISMATCH',
    )
  })
})
