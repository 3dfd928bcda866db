import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { X509Certificate } from 'node:crypto'
import { describe, test } from 'node:test'
import type { JsonObject } from '@carapace/protocol'
import { NO_COLLATERAL } from '../collateral/collateral-source.ts'
import { caseCollateral, crlSource, dcapFixture, fixedTcbEvaluation } from '../dcap/quote-fixtures.ts'
import { rejectsWith, verifierContract } from '../verifier-contract.ts'
import { parseCcEventLog } from '../eventlog/ccel-parse.ts'
import { createTdxVerifier } from './tdx-verifier.ts'

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64')
const quote4 = dcapFixture('tdx_quote_4.dat')
const evidence = (quote: Uint8Array, ccel: Uint8Array | null = null): JsonObject => ({
  cc_eventlog: ccel === null ? null : b64(ccel),
  quote: b64(quote),
})
const ccelData = (): Uint8Array =>
  new Uint8Array(readFileSync(new URL('../../fixtures/eventlog/CCEL_data.head', import.meta.url)))
const at = new Date('2023-07-01T01:00:00Z')
const collateral = caseCollateral('gtg', 'go-tdx-guest-v4')
const reportData = Buffer.from(
  '7c71fe2c86eff65a7cf8dbc22b3275689fd0464a267baced1bf94fc1324656aeb755da3d44d098c0c87382f3a5f85b45c8a28fee1d3bdb38342bf96671501429',
  'hex',
)

/** Upstream's parse golden (without the event log, which needs CCEL replay) plus the DCAP result claims. */
function goldenClaims(): JsonObject {
  const golden = JSON.parse(
    readFileSync(new URL('../../fixtures/dcap/parse_tdx_claims_expected.json', import.meta.url), 'utf8'),
  ) as JsonObject
  delete golden['uefi_event_logs']
  return {
    ...golden,
    // vectors-extra case A-TDX4-GTG: UpToDate, TCB level of 2023-02-15, no advisories.
    tcb_status: 'UpToDate',
    tcb_date: '2023-02-15T00:00:00Z',
    advisory_ids: [],
    tcb_eval_num: 15,
    pck_crl_num: 1,
    root_ca_crl_num: 1,
    platform_provider_id: 'df4c32a9d8d86009aaf380ec43cfcefb',
    sgx_type: 'Scalable',
    is_dynamic_platform: true,
    is_cached_keys: true,
    is_smt_enabled: true,
    root_key_id: '46e403bd34f05a3f2817ab9badcaacc7ffc98e0f261008cd30dae936cace18d5dcf58eef31463613de1570d516200993',
    earliest_issue_date: '2018-05-21T10:45:10Z',
    latest_issue_date: '2023-06-18T08:42:58Z',
    earliest_expiration_date: '2023-07-08T07:24:59Z',
    collateral_expiration_status: '0',
  }
}

function tampered(): Uint8Array {
  const b = Uint8Array.from(quote4)
  b[48 + 136] = (b[48 + 136] ?? 0) ^ 0x80 // mr_td
  return b
}

verifierContract('tdx (tdx_quote_4.dat, go-tdx-guest collateral)', () => ({
  verifier: createTdxVerifier(),
  golden: {
    evidence: evidence(quote4),
    expected: { reportData },
    claims: [goldenClaims()],
    teeClass: 'cpu',
    context: { at, collateral },
  },
  wrongReportData: new Uint8Array(48),
  truncated: evidence(quote4.subarray(0, 1200)),
  wrongInitDataDigest: new Uint8Array(48).fill(7),
  tamperedSignature: { evidence: evidence(tampered()) },
  untrustedRoot: { evidence: evidence(dcapFixture('synthetic/tdx-quote-synthetic-chain.dat')) },
  expiredCertificate: { evidence: evidence(quote4), context: { at: new Date('2053-07-01T01:00:00Z'), collateral } },
  // The synthetic PKI (fixtures/dcap/synthetic) pinned, so its CA's CRL, which lists the PCK leaf, verifies.
  revokedCertificate: {
    verifier: createTdxVerifier({
      trustedRoot: new X509Certificate(dcapFixture('synthetic/root.pem')),
      evaluateTcb: fixedTcbEvaluation({ tcb_status: 'UpToDate' }),
    }),
    evidence: evidence(dcapFixture('synthetic/tdx-quote-synthetic-chain.dat')),
    context: {
      at: new Date('2027-01-01T00:00:00Z'),
      collateral: crlSource('synthetic/x', 'synthetic/pck-crl-revoking-leaf.der'),
    },
  },
}))

describe('tdx verifier', () => {
  test('the init-data digest is padded to 48 and compared with mr_config_id (zero here)', async () => {
    const results = await createTdxVerifier().verify(
      evidence(quote4),
      { reportData, initDataDigest: new Uint8Array(32) },
      { at, collateral },
    )
    assert.equal(results[0]?.claims['init_data'], '00'.repeat(48))
  })

  test('report data longer than 64 bytes: REPORT_DATA_MISMATCH', async () => {
    await rejectsWith(
      createTdxVerifier().verify(
        evidence(quote4),
        { reportData: Buffer.concat([reportData, Buffer.alloc(1)]) },
        { at, collateral },
      ),
      'REPORT_DATA_MISMATCH',
    )
  })

  test('a DCAP v3 (SGX) quote: UNSUPPORTED_VERSION; no CRLs or no TCB Info: COLLATERAL_UNAVAILABLE', async () => {
    const v = createTdxVerifier()
    await rejectsWith(
      v.verify(evidence(dcapFixture('occlum_quote.dat')), { reportData }, { at, collateral }),
      'UNSUPPORTED_VERSION',
    )
    await rejectsWith(v.verify(evidence(quote4), { reportData }, { at }), 'COLLATERAL_UNAVAILABLE')
    await rejectsWith(
      v.verify(evidence(quote4), { reportData }, { at, collateral: crlSource('gtg') }),
      'COLLATERAL_UNAVAILABLE',
    )
    await rejectsWith(
      v.verify(evidence(quote4), { reportData }, { at, collateral: NO_COLLATERAL }),
      'COLLATERAL_UNAVAILABLE',
    )
  })

  test('real v4/v5 quotes with their collateral: UpToDate (dcap-qvl sample and NEAR), OutOfDate with advisories (dcap-rs)', async () => {
    const v = createTdxVerifier()
    const run = async (name: string, crls: string, dir: string, when: string): Promise<JsonObject> => {
      const q = dcapFixture(name)
      const rd = q.subarray(48 + 520, 48 + 584)
      const [r] = await v.verify(
        evidence(q),
        { reportData: rd },
        { at: new Date(when), collateral: caseCollateral(crls, dir) },
      )
      assert.ok(r !== undefined)
      return r.claims
    }
    const qvl = await run('qvl-tdx-quote.dat', 'qvl-tdx', 'qvl-tdx', '2025-07-19T10:00:34Z')
    assert.equal(qvl['tcb_status'], 'UpToDate')
    assert.deepEqual(qvl['advisory_ids'], [])
    const near = await run('qvl-near-quote.dat', 'qvl-near', 'qvl-near', '2025-09-10T00:00:00Z')
    assert.equal(near['tcb_status'], 'UpToDate')
    const drs = await run('drs-tdx-quote.dat', 'drs', 'dcap-rs-tdx', '2025-02-13T04:00:32Z')
    assert.equal(drs['tcb_status'], 'OutOfDate')
    assert.deepEqual(drs['advisory_ids'], ['INTEL-SA-00960', 'INTEL-SA-00982', 'INTEL-SA-00986'])
  })

  test('no TCB level matches (v5 TDX 1.5 dcap-qvl quote; go-tdx-guest v4 quote): TCB_OUT_OF_DATE', async () => {
    const v = createTdxVerifier()
    const v5 = dcapFixture('qvl-tdx5-quote.dat')
    await rejectsWith(
      v.verify(
        evidence(v5),
        { reportData: v5.subarray(54 + 520, 54 + 584) },
        {
          at: new Date('2026-03-20T10:41:14Z'),
          collateral: caseCollateral('qvl-tdx5', 'qvl-tdx5'),
        },
      ),
      'TCB_OUT_OF_DATE',
    )
    const gtg = dcapFixture('gtg-v4-quote.dat')
    await rejectsWith(
      v.verify(evidence(gtg), { reportData: gtg.subarray(48 + 520, 48 + 584) }, { at, collateral }),
      'TCB_OUT_OF_DATE',
    )
  })

  test('the CC event log is replayed against RTMR0-3: CCEL_data does not match tdx_quote_4.dat (MEASUREMENT_MISMATCH), garbage is EVIDENCE_MALFORMED', async () => {
    const v = createTdxVerifier()
    await rejectsWith(
      v.verify(evidence(quote4, ccelData()), { reportData }, { at, collateral }),
      'MEASUREMENT_MISMATCH',
    )
    await rejectsWith(
      v.verify(evidence(quote4, new Uint8Array([1, 2, 3])), { reportData }, { at, collateral }),
      'EVIDENCE_MALFORMED',
    )
  })

  test('with the replay left out, tdx_quote_4.dat + CCEL_data give upstream parse golden in full (uefi_event_logs included)', async () => {
    let seen: readonly Uint8Array[] = []
    const v = createTdxVerifier({
      replayEventLog: (log, rtmrs) => {
        seen = rtmrs
        return parseCcEventLog(log).map((e) => JSON.parse(JSON.stringify(e)) as JsonObject)
      },
    })
    const [r] = await v.verify(evidence(quote4, ccelData()), { reportData }, { at, collateral })
    const golden = JSON.parse(
      readFileSync(new URL('../../fixtures/dcap/parse_tdx_claims_expected.json', import.meta.url), 'utf8'),
    ) as JsonObject
    assert.deepEqual(r?.claims, { ...goldenClaims(), uefi_event_logs: golden['uefi_event_logs'] ?? null })
    assert.equal(seen.length, 4)
    assert.equal(
      Buffer.from(seen[1] ?? [])
        .toString('hex')
        .slice(0, 8),
      '559cfcf4',
    )
  })

  test('cc_eventlog that is neither a string nor null: EVIDENCE_MALFORMED', async () => {
    await rejectsWith(
      createTdxVerifier().verify({ cc_eventlog: 5, quote: b64(quote4) }, { reportData }, { at, collateral }),
      'EVIDENCE_MALFORMED',
    )
  })

  test('cc_eventlog absent, or a field upstream does not define: EVIDENCE_MALFORMED', async () => {
    for (const e of [{ quote: b64(quote4) }, { ...evidence(quote4), aa_eventlog: null }]) {
      await rejectsWith(createTdxVerifier().verify(e, { reportData }, { at, collateral }), 'EVIDENCE_MALFORMED')
    }
  })
})
