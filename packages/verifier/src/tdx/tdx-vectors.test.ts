import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { azTdxTestCollateral, AZ_TDX_TEST_TIME } from '../az-tdx-vtpm/az-tdx-test-support.ts'
import { caseCollateral, crlSource, dcapFixture, fixedTcbEvaluation } from '../dcap/quote-fixtures.ts'
import { parseDcapQuote, quoteReportData } from '../dcap/quote-parse.ts'
import { rejectsWith } from '../verifier-contract.ts'
import { createTdxVerifier } from './tdx-verifier.ts'

/*
 * Real TDX quotes of vectors-extra run in full (quote and QE signatures, PCK chain with CRLs, TCB
 * Info, QE Identity, TCB evaluation) to the result the MANIFEST gives: case A-TK-TDX (§4, Intel
 * rules column: teekit's TCB Infos + dcap-qvl NEAR's TD_QE identity and CRLs at 2025-09-29T23:00:00Z)
 * A-OAK-TDX (the same collateral at 2025-10-01) and case OA-TDX-OOD (oasis quote, go-tdx-guest's
 * identical TCB Info and CRLs).
 */

const teekit = (name: string): Buffer => readFileSync(new URL(`../../fixtures/dcap/teekit/${name}`, import.meta.url))
const gcpQuote = (name: string): Uint8Array => {
  const json = JSON.parse(teekit(name).toString('utf8')) as { tdx: { quote: string } }
  return new Uint8Array(Buffer.from(json.tdx.quote, 'base64'))
}
const evidence = (quote: Uint8Array): { cc_eventlog: null; quote: string } => ({
  cc_eventlog: null,
  quote: Buffer.from(quote).toString('base64'),
})

async function verify(
  quote: Uint8Array,
  at: Date,
  collateral = azTdxTestCollateral(),
): Promise<Record<string, unknown>> {
  const [r] = await createTdxVerifier().verify(
    evidence(quote),
    { reportData: quoteReportData(parseDcapQuote(quote)) },
    { at, collateral },
  )
  assert.ok(r !== undefined)
  return r.claims
}

const A_TK_TDX: readonly (readonly [string, () => Uint8Array, string, readonly string[]])[] = [
  [
    'teekit tdx-v4-edgeless.dat',
    () => teekit('tdx-v4-edgeless.dat'),
    'OutOfDate',
    ['INTEL-SA-00837', 'INTEL-SA-00960', 'INTEL-SA-00982', 'INTEL-SA-00986'],
  ],
  // Intel's rule skips TEE_TCB_SVN[0..1] for a versioned module (TDX_01 at SVN 4): UpToDate, where teekit says OutOfDate.
  [
    'teekit tdx-v4-azure (base64, 70 zero bytes after the quote)',
    () => Buffer.from(teekit('tdx-v4-azure').toString('utf8').trim(), 'base64'),
    'UpToDate',
    [],
  ],
  ['teekit tdx-v4-gcp.json (8000-byte quote buffer)', () => gcpQuote('tdx-v4-gcp.json'), 'UpToDate', []],
  ['teekit tdx-v4-gcp-no-nonce.json', () => gcpQuote('tdx-v4-gcp-no-nonce.json'), 'UpToDate', []],
  ['teekit tdx-v4-phala.dat = dcap-qvl tdx_quote', () => dcapFixture('qvl-tdx-quote.dat'), 'UpToDate', []],
  [
    'teekit tdx-v4-trustee.dat = trustee tdx_quote_4.dat',
    () => dcapFixture('tdx_quote_4.dat'),
    'OutOfDate',
    ['INTEL-SA-00837', 'INTEL-SA-00960', 'INTEL-SA-00982', 'INTEL-SA-00986'],
  ],
  [
    'teekit tdx-v4-zkdcap.dat = dcap-rs quote',
    () => dcapFixture('drs-tdx-quote.dat'),
    'OutOfDate',
    ['INTEL-SA-00960', 'INTEL-SA-00982', 'INTEL-SA-00986'],
  ],
]

const NO_LEVEL: readonly (readonly [string, () => Uint8Array])[] = [
  ['teekit tdx-v4-moemahhouk.dat (PCK comp08 3 < 5)', () => teekit('tdx-v4-moemahhouk.dat')],
  ['teekit tdx-v4-tappd.hex', () => Buffer.from(teekit('tdx-v4-tappd.hex').toString('utf8').trim(), 'hex')],
  [
    'teekit tdx-v5-trustee.dat = trustee tdx_quote_5.dat (v5, TDX 1.5; PCK SVNs 1,1,… < 2,2,…)',
    () => dcapFixture('tdx_quote_5.dat'),
  ],
]

describe('tdx: case A-TK-TDX in full (teekit TCB Infos, NEAR TD_QE identity and CRLs, 2025-09-29T23:00:00Z)', () => {
  for (const [name, quote, status, advisories] of A_TK_TDX) {
    test(`${name}: ${status}`, async () => {
      const claims = await verify(quote(), AZ_TDX_TEST_TIME)
      assert.equal(claims['tcb_status'], status)
      assert.deepEqual(claims['advisory_ids'], advisories)
    })
  }
  for (const [name, quote] of NO_LEVEL) {
    test(`${name}: every check passes, then no matching TCB level (TCB_OUT_OF_DATE)`, async () => {
      const q = quote()
      await rejectsWith(
        createTdxVerifier().verify(
          evidence(q),
          { reportData: quoteReportData(parseDcapQuote(q)) },
          { at: AZ_TDX_TEST_TIME, collateral: azTdxTestCollateral() },
        ),
        'TCB_OUT_OF_DATE',
      )
      // Up to the TCB step it verifies: with the TCB step replaced, the quote is accepted.
      const [r] = await createTdxVerifier({ evaluateTcb: fixedTcbEvaluation({ tcb_status: 'stub' }) }).verify(
        evidence(q),
        { reportData: quoteReportData(parseDcapQuote(q)) },
        { at: AZ_TDX_TEST_TIME, collateral: azTdxTestCollateral() },
      )
      assert.equal(r?.claims['tcb_status'], 'stub')
    })
  }
})

test('tdx: A-OAK-TDX (Oak GCP quote, 8000-byte buffer) at 2025-10-01 with teekit TCB Info + NEAR TD_QE and CRLs: UpToDate', async () => {
  const claims = await verify(dcapFixture('oak-tdx-oc-quote.dat'), new Date('2025-10-01T00:00:00Z'))
  assert.equal(claims['tcb_status'], 'UpToDate')
  assert.deepEqual(claims['advisory_ids'], [])
})

describe('tdx: oasis-core quotes', () => {
  test('OA-TDX-OOD at 2023-06-18T12:36:16Z with go-tdx-guest collateral: TCB_OUT_OF_DATE ("TCB level not supported" upstream)', async () => {
    const q = dcapFixture('oasis-tdx-ood-quote.dat')
    const at = new Date('2023-06-18T12:36:16Z')
    const collateral = caseCollateral('gtg', 'go-tdx-guest-v4')
    await rejectsWith(
      createTdxVerifier().verify(evidence(q), { reportData: quoteReportData(parseDcapQuote(q)) }, { at, collateral }),
      'TCB_OUT_OF_DATE',
    )
    const [r] = await createTdxVerifier({ evaluateTcb: fixedTcbEvaluation({ tcb_status: 'stub' }) }).verify(
      evidence(q),
      { reportData: quoteReportData(parseDcapQuote(q)) },
      { at, collateral },
    )
    assert.equal(r?.claims['tcb_status'], 'stub')
  })

  test('the trailing-bytes quote (v4 TD quote + 70 zero bytes): signatures, PCK chain and CRLs verify; its TCB Info (C0806F) has no CRLs of its time', async () => {
    const q = dcapFixture('oasis-tdx-trailing-quote.dat')
    assert.equal(q.length, 5006)
    const [r] = await createTdxVerifier({ evaluateTcb: fixedTcbEvaluation({ tcb_status: 'stub' }) }).verify(
      evidence(q),
      { reportData: quoteReportData(parseDcapQuote(q)) },
      { at: new Date('2025-07-19T10:00:34Z'), collateral: crlSource('qvl-tdx') },
    )
    assert.equal(r?.claims['tcb_status'], 'stub')
  })
})
