import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, test } from 'node:test'
import type { JsonObject } from '@carapace/protocol'
import { rejectsWith, verifierContract } from '../verifier-contract.ts'
import { verifierFor } from '../verifier-table.ts'
import { createHygonDcuVerifier } from './dcu-verifier.ts'
import { DCU_COLLATERAL, DCU_EVIDENCE, DCU_HRK, DCU_OTHER_HRK, DCU_REPORT_DATA } from './dcu-test-support.ts'

const expected = { reportData: DCU_REPORT_DATA }
const context = { collateral: DCU_COLLATERAL }
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
const digest = (label: string, size: number): string =>
  createHash('sha512').update(label).digest().subarray(0, size).toString('hex')

/** What scripts/build-hygondcu-fixtures.mjs put in each report, computed independently. */
function expectedClaims(): JsonObject {
  const claims: JsonObject = {}
  ;['DCU00000000000A1', 'DCU00000000000A2'].forEach((chip, n) => {
    claims[String(n)] = {
      body: {
        version: 1,
        chip_id: Buffer.from(chip, 'latin1').toString('hex'),
        user_data: hex(DCU_REPORT_DATA),
        measure: digest(`dcu measure ${String(n)}`, 32),
        reserved: '00'.repeat(128),
        sig_usage: '1004',
        sig_algo: '4',
      },
      report_data: hex(DCU_REPORT_DATA),
    }
  })
  return claims
}

function withReports(mutate: (reports: typeof DCU_EVIDENCE.attestation_reports) => void): unknown {
  const copy = structuredClone(DCU_EVIDENCE)
  mutate(copy.attestation_reports)
  return copy
}

verifierContract('hygondcu', () => ({
  verifier: createHygonDcuVerifier({ hrk: DCU_HRK }),
  golden: { evidence: DCU_EVIDENCE, expected, claims: [expectedClaims()], teeClass: 'dcu', context },
  wrongReportData: new Uint8Array(64).fill(9),
  reportDataRequired: true,
  truncated: JSON.stringify(DCU_EVIDENCE).slice(0, 1000),
  tamperedSignature: {
    evidence: withReports((reports) => {
      const sig = reports[1]?.sig
      if (sig !== undefined) sig.s[0] = ((sig.s[0] ?? 0) + 1) % 256
    }),
  },
  untrustedRoot: { evidence: DCU_EVIDENCE, verifier: createHygonDcuVerifier({ hrk: DCU_OTHER_HRK }) },
}))

describe('hygondcu', () => {
  const verifier = createHygonDcuVerifier({ hrk: DCU_HRK })

  test('report data is mandatory (upstream refuses NotProvided)', async () => {
    await rejectsWith(verifier.verify(DCU_EVIDENCE, {}, context), 'REPORT_DATA_MISMATCH')
  })

  test('an init-data digest is not bound (upstream warns and skips it)', async () => {
    await verifier.verify(DCU_EVIDENCE, { ...expected, initDataDigest: new Uint8Array(32).fill(1) }, context)
  })

  test('a signed body field changed is SIGNATURE_INVALID; a chip without HSK/CEK COLLATERAL_UNAVAILABLE', async () => {
    const measure = withReports((reports) => {
      const body = reports[0]?.body
      if (body !== undefined) body['measure'] = new Array<number>(32).fill(0)
    })
    await rejectsWith(verifier.verify(measure, expected, context), 'SIGNATURE_INVALID')
    const chip = withReports((reports) => {
      const body = reports[0]?.body
      if (body !== undefined) body['chip_id'] = Array.from(Buffer.from('DCU00000000000B9', 'latin1'))
    })
    await rejectsWith(verifier.verify(chip, expected, context), 'COLLATERAL_UNAVAILABLE')
    await rejectsWith(verifier.verify(chip, expected), 'COLLATERAL_UNAVAILABLE')
  })

  test('one chip’s CEK does not sign another chip’s report: CERT/SIGNATURE failures, never acceptance', async () => {
    const swapped = withReports((reports) => {
      const [a, b] = reports
      if (a !== undefined && b !== undefined)
        [a.body['chip_id'], b.body['chip_id']] = [b.body['chip_id'], a.body['chip_id']]
    })
    await rejectsWith(verifier.verify(swapped, expected, context), 'SIGNATURE_INVALID')
  })

  test('no reports, unknown fields and non-bytes are EVIDENCE_MALFORMED', async () => {
    await rejectsWith(verifier.verify({ attestation_reports: [] }, expected, context), 'EVIDENCE_MALFORMED')
    const twice = withReports((reports) => {
      const first = reports[0]
      if (first !== undefined) reports.push(structuredClone(first))
    })
    await rejectsWith(verifier.verify(twice, expected, context), 'EVIDENCE_MALFORMED')
    await rejectsWith(verifier.verify({ ...DCU_EVIDENCE, extra: 1 }, expected, context), 'EVIDENCE_MALFORMED')
    const notByte = withReports((reports) => {
      const body = reports[0]?.body
      if (body !== undefined) body['version'] = -1
    })
    await rejectsWith(verifier.verify(notByte, expected, context), 'EVIDENCE_MALFORMED')
  })

  test('verifierFor("hygondcu") uses the pinned Hygon HRK: the synthetic chain is CERT_UNTRUSTED_ROOT', async () => {
    await rejectsWith(verifierFor('hygondcu').verify(DCU_EVIDENCE, expected, context), 'CERT_UNTRUSTED_ROOT')
  })

  test('claims are keyed by report index, as upstream; a subset of the reports is itself valid evidence', async () => {
    const [result] = await verifier.verify(DCU_EVIDENCE, expected, context)
    assert.deepEqual(Object.keys(result?.claims ?? {}), ['0', '1'])
    const second = { attestation_reports: DCU_EVIDENCE.attestation_reports.slice(1) }
    const [one] = await verifier.verify(second, expected, context)
    assert.deepEqual(one?.claims, { '0': expectedClaims()['1'] ?? null })
  })
})
