import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { JsonObject } from '@carapace/protocol'
import { CollateralError } from '../collateral/collateral-error.ts'
import { rejectsWith, verifierContract } from '../verifier-contract.ts'
import { verifierFor } from '../verifier-table.ts'
import { csvClaims } from './csv-claims.ts'
import { parseCsvEvidence } from './csv-evidence.ts'
import {
  csvFixture,
  csvJsonFixture,
  OTHER_HRK,
  reportOf,
  SIGNER_V2,
  SYNTHETIC_HRK,
  SYNTHETIC_REPORT_DATA,
  syntheticCollateral,
  syntheticDigest,
  withReport,
} from './csv-test-support.ts'
import { createCsvVerifier } from './csv-verifier.ts'
import { csvCertificateJson, syntheticPki } from './csv-synthetic-pki.ts'

const real = csvJsonFixture('csv/csv_evidence.json')
const v2 = csvJsonFixture('csv/synthetic/evidence-v2.json')
const v2Embedded = csvJsonFixture('csv/synthetic/evidence-v2-hsk-cek.json')
const v1 = csvJsonFixture('csv/synthetic/evidence-v1.json')
const expected = { reportData: SYNTHETIC_REPORT_DATA }
const context = { collateral: syntheticCollateral() }
const zeros = (n: number): string => '00'.repeat(n)

/** The claims the builder's inputs give (scripts/build-csv-fixtures.mjs), computed independently. */
function syntheticClaims(version: 1 | 2): JsonObject {
  const common: JsonObject = {
    version: String(version),
    policy: {
      nodbg: 1,
      noks: 0,
      es: 1,
      nosend: 0,
      domain: 0,
      csv: 0,
      csv3: 1,
      asid_reuse: 0,
      hsk_version: 1,
      cek_version: 1,
      api_major: 1,
      api_minor: 4,
    },
    user_pubkey_digest: syntheticDigest('user pubkey', 32),
    vm_id: syntheticDigest('vm id', 16),
    vm_version: syntheticDigest('vm version', 16),
    report_data: Buffer.from(SYNTHETIC_REPORT_DATA).toString('hex') + zeros(16),
    mnonce: syntheticDigest('mnonce', 16),
    measure: syntheticDigest('measure', 32),
    sig_usage: '02100000',
    sig_algo: '04000000',
  }
  if (version === 1) return { ...common, anonce: '26d7c75d', serial_number: 'SYN0000000001' }
  return { ...common, build: 2291, rtmr_version: 1, reserved0: zeros(14) }
}

const golden = JSON.parse(Buffer.from(csvFixture('eventlog/CCEL_data_csv_out.json')).toString('utf8')) as {
  uefi_event_logs: JsonObject[]
}

function v2Claims(withLog: boolean): Record<string, unknown> {
  const report = reportOf(v2)
  const rtmr = (n: number): string => Buffer.from(report.subarray(208 + n * 32, 240 + n * 32)).toString('hex')
  return {
    ...syntheticClaims(2),
    rtmr0: rtmr(0),
    rtmr1: rtmr(1),
    rtmr2: rtmr(2),
    rtmr3: rtmr(3),
    rtmr4: rtmr(4),
    reserved1: zeros(656),
    serial_number: 'SYN0000000001',
    ...(withLog ? { uefi_event_logs: golden.uefi_event_logs } : {}),
  }
}

verifierContract('csv', () => {
  const tampered = reportOf(v2)
  tampered[1024] = (tampered[1024] ?? 0) ^ 0x01
  return {
    verifier: createCsvVerifier({ hrk: SYNTHETIC_HRK }),
    golden: { evidence: v2, expected, claims: [v2Claims(true) as JsonObject], teeClass: 'cpu', context },
    wrongReportData: new Uint8Array(48).fill(7),
    truncated: JSON.stringify(v2).slice(0, 40_000),
    tamperedSignature: { evidence: withReport(v2, tampered) },
    untrustedRoot: { evidence: v2, verifier: createCsvVerifier({ hrk: OTHER_HRK }) },
  }
})

describe('csv: the real evidence (trustee csv_evidence.json)', () => {
  const parsed = parseCsvEvidence(real)

  test('parses as a v1 report of chip KPA64911240507; its claims are what upstream decodes', () => {
    assert.equal(parsed.chipId, 'KPA64911240507')
    assert.equal(parsed.report.version, 1)
    assert.equal(parsed.hskCek, undefined)
    assert.deepEqual(csvClaims(parsed.report, parsed.chipId, undefined), {
      version: '1',
      policy: {
        nodbg: 1,
        noks: 0,
        es: 1,
        nosend: 0,
        domain: 0,
        csv: 0,
        csv3: 1,
        asid_reuse: 0,
        hsk_version: 0,
        cek_version: 0,
        api_major: 0,
        api_minor: 0,
      },
      user_pubkey_digest: zeros(32),
      vm_id: zeros(16),
      vm_version: zeros(16),
      report_data: zeros(64),
      mnonce: 'ad998a845c45cf30944d1c285629e768',
      measure: 'ae2a2cf1f41a485fa37bf9ae92f678783c59fbc79de7b5d237743d58f5538034',
      sig_usage: '02100000',
      sig_algo: '04000000',
      anonce: '26d7c75d',
      serial_number: 'KPA64911240507',
    })
  })

  test('without HSK/CEK it is COLLATERAL_UNAVAILABLE naming the chip (after parse and the HRK check)', async () => {
    await assert.rejects(createCsvVerifier().verify(real, { reportData: new Uint8Array(64) }), (e: unknown) => {
      assert.ok(e instanceof Error && 'code' in e)
      assert.equal(e.code, 'COLLATERAL_UNAVAILABLE')
      assert.match(e.message, /KPA64911240507/)
      return true
    })
    // a collateral source that fails is COLLATERAL_UNAVAILABLE too
    const failing = {
      get: () => Promise.reject(new CollateralError('NETWORK_ERROR', 'cert.hygon.cn unreachable')),
    }
    await rejectsWith(
      createCsvVerifier().verify(real, { reportData: new Uint8Array(64) }, { collateral: failing }),
      'COLLATERAL_UNAVAILABLE',
    )
  })

  test("an HSK/CEK that does not chain to Hygon's HRK is CERT_UNTRUSTED_ROOT", async () => {
    const anyChip = { get: () => Promise.resolve({ body: csvFixture('csv/synthetic/hsk_cek.cert') }) }
    await rejectsWith(createCsvVerifier().verify(real, {}, { collateral: anyChip }), 'CERT_UNTRUSTED_ROOT')
  })

  test('verifierFor("csv") is the CSV verifier', async () => {
    await rejectsWith(verifierFor('csv').verify(real, {}), 'COLLATERAL_UNAVAILABLE')
  })
})

describe('csv: synthetic chain', () => {
  const verifier = createCsvVerifier({ hrk: SYNTHETIC_HRK })

  test('v1: fields unmasked with anonce, claims as upstream names them', async () => {
    const [result] = await verifier.verify(v1, expected, context)
    assert.deepEqual(result?.claims, syntheticClaims(1))
  })

  test('HSK/CEK carried in the evidence need no collateral; a v2 report without event log has no uefi_event_logs', async () => {
    const [result] = await verifier.verify(v2Embedded, expected)
    assert.deepEqual(result?.claims, v2Claims(false))
  })

  test('an init-data digest is not bound (CSV has no field for it; upstream warns)', async () => {
    await verifier.verify(v2, { ...expected, initDataDigest: new Uint8Array(32).fill(1) }, context)
  })

  test('report data is not checked when none is expected (ReportData::NotProvided)', async () => {
    await verifier.verify(v2, {}, context)
  })

  test('an event log that does not replay to RTMR1–4 is MEASUREMENT_MISMATCH', async () => {
    const other = Buffer.from(csvFixture('eventlog/CCEL_data_grub')).toString('base64')
    await rejectsWith(verifier.verify({ ...v2, cc_eventlog: other }, expected, context), 'MEASUREMENT_MISMATCH')
  })

  test('a PEK the CEK did not sign is CERT_CHAIN_INVALID', async () => {
    const stranger = syntheticPki(0x31).pekCert
    const report = reportOf(v2)
    report.set(stranger, SIGNER_V2)
    const chain = { ...(v2['cert_chain'] as object), pek: csvCertificateJson(stranger) }
    await rejectsWith(
      verifier.verify({ ...withReport(v2, report), cert_chain: chain }, expected, context),
      'CERT_CHAIN_INVALID',
    )
  })

  test('the report signer block must repeat the evidence PEK and serial; padding must be zero', async () => {
    for (const at of [SIGNER_V2 + 10, SIGNER_V2 + 2084 + 3, SIGNER_V2 + 2084 + 64 + 1, 4000]) {
      const report = reportOf(v2)
      report[at] = (report[at] ?? 0) ^ 0x20
      await rejectsWith(verifier.verify(withReport(v2, report), expected, context), 'EVIDENCE_MALFORMED')
    }
  })

  test('an HSK/CEK collateral of the wrong size is COLLATERAL_INVALID', async () => {
    const short = syntheticCollateral(csvFixture('csv/synthetic/hsk_cek.cert').subarray(0, 2000))
    await rejectsWith(verifier.verify(v2, expected, { collateral: short }), 'COLLATERAL_INVALID')
  })

  test('unknown fields, a foreign magic and unknown extended flags are refused', async () => {
    await rejectsWith(verifier.verify({ ...v2, extra: 1 }, expected, context), 'EVIDENCE_MALFORMED')
    const wrapper = v2['attestation_report'] as Record<string, unknown>
    const magic = Array.from(Buffer.from('SOMETHING_ELSE\0\0', 'latin1'))
    await rejectsWith(
      verifier.verify({ ...v2, attestation_report: { ...wrapper, magic } }, expected, context),
      'EVIDENCE_MALFORMED',
    )
    await rejectsWith(
      verifier.verify({ ...v2, attestation_report: { ...wrapper, flags: 2 } }, expected, context),
      'UNSUPPORTED_VERSION',
    )
  })
})
