import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { JsonObject } from '@carapace/protocol'
import { caseCollateral, dcapFixture, fixedTcbEvaluation } from '../dcap/quote-fixtures.ts'
import { syntheticDcapQuote } from '../dcap/synthetic-dcap-quote.ts'
import { parseDcapQuote } from '../dcap/quote-parse.ts'
import { rejectsWith, verifierContract } from '../verifier-contract.ts'
import { sgxQuoteClaims } from './sgx-claims.ts'
import { createSgxVerifier } from './sgx-verifier.ts'

const quote = dcapFixture('qvl-sgx-quote.dat')
const evidence = (q: Uint8Array): JsonObject => ({ quote: Buffer.from(q).toString('base64') })
const at = new Date('2025-07-19T10:01:17Z')
const collateral = caseCollateral('qvl-sgx', 'qvl-sgx')
const reportData = new TextEncoder().encode('Hello, world!') // padded to 64 with zeros in the enclave report
const synthetic = syntheticDcapQuote(quote)

function goldenClaims(): JsonObject {
  return {
    ...sgxQuoteClaims(parseDcapQuote(quote)),
    // vectors-extra case QVL-SGX (dcap-qvl asserts status and advisories).
    tcb_status: 'ConfigurationAndSWHardeningNeeded',
    advisory_ids: ['INTEL-SA-00289', 'INTEL-SA-00615'],
    tcb_date: '2024-03-13T00:00:00Z',
    tcb_eval_num: 17,
    pck_crl_num: 1,
    root_ca_crl_num: 1,
    platform_provider_id: 'd04ec06d4e6d92dc90d0ad3cf5ee2ddf',
    sgx_type: 'Standard',
    root_key_id: '46e403bd34f05a3f2817ab9badcaacc7ffc98e0f261008cd30dae936cace18d5dcf58eef31463613de1570d516200993',
    earliest_issue_date: '2018-05-21T10:45:10Z',
    latest_issue_date: '2025-06-19T10:56:11Z',
    earliest_expiration_date: '2025-07-19T10:01:18Z',
    collateral_expiration_status: '0',
  }
}

function tampered(): Uint8Array {
  const b = Uint8Array.from(quote)
  b[48 + 64] = (b[48 + 64] ?? 0) ^ 1 // mr_enclave
  return b
}

verifierContract('sgx (dcap-qvl sgx_quote with its collateral)', () => ({
  verifier: createSgxVerifier(),
  golden: {
    evidence: evidence(quote),
    expected: { reportData },
    claims: [goldenClaims()],
    teeClass: 'cpu',
    context: { at, collateral },
  },
  wrongReportData: new TextEncoder().encode('Hello, world?'),
  truncated: evidence(quote.subarray(0, 900)),
  wrongInitDataDigest: new Uint8Array(32).fill(1),
  tamperedSignature: { evidence: evidence(tampered()) },
  expiredCertificate: { evidence: evidence(quote), context: { at: new Date('2040-01-01T00:00:00Z'), collateral } },
  untrustedRoot: { evidence: evidence(synthetic.quote) },
  // The synthetic PKI pinned, so its CA's CRL, which lists the PCK leaf, verifies.
  revokedCertificate: {
    verifier: createSgxVerifier({
      trustedRoot: synthetic.root.x509,
      evaluateTcb: fixedTcbEvaluation({ tcb_status: 'UpToDate' }),
    }),
    evidence: evidence(synthetic.quote),
    context: { at, collateral: synthetic.crls([synthetic.leaf]) },
  },
}))

test('sgx: the synthetic quote with nothing revoked passes the pinned synthetic root', async () => {
  const v = createSgxVerifier({
    trustedRoot: synthetic.root.x509,
    evaluateTcb: fixedTcbEvaluation({ tcb_status: 'UpToDate' }),
  })
  const [r] = await v.verify(evidence(synthetic.quote), { reportData }, { at, collateral: synthetic.crls([]) })
  assert.equal(r?.claims['tcb_status'], 'UpToDate')
  await rejectsWith(
    v.verify(evidence(synthetic.quote), { reportData }, { at, collateral: synthetic.crls([synthetic.ca]) }),
    'CERT_REVOKED',
  )
})

describe('sgx verifier', () => {
  test('the golden claims carry upstream sgx field values', async () => {
    const [r] = await createSgxVerifier().verify(evidence(quote), { reportData }, { at, collateral })
    const header = r?.claims['header'] as JsonObject
    assert.equal(header['version'], '0300')
    assert.equal(r?.claims['report_data'], Buffer.from('Hello, world!').toString('hex') + '00'.repeat(51))
  })

  test('a TDX quote: EVIDENCE_MALFORMED; no collateral: COLLATERAL_UNAVAILABLE', async () => {
    const v = createSgxVerifier()
    await rejectsWith(
      v.verify(evidence(dcapFixture('tdx_quote_4.dat')), { reportData }, { at, collateral }),
      'EVIDENCE_MALFORMED',
    )
    await rejectsWith(v.verify(evidence(quote), { reportData }, { at }), 'COLLATERAL_UNAVAILABLE')
  })

  test('a field besides quote: EVIDENCE_MALFORMED', async () => {
    const e = { ...evidence(quote), cc_eventlog: null }
    await rejectsWith(createSgxVerifier().verify(e, { reportData }, { at, collateral }), 'EVIDENCE_MALFORMED')
  })
})

test('occlum_quote.dat (trustee, SGX v3) with dcap-rs collateral at 2025-02-13: OutOfDate, upstream sgx claims', async () => {
  const occlum = dcapFixture('occlum_quote.dat')
  const [r] = await createSgxVerifier().verify(
    evidence(occlum),
    { reportData: new TextEncoder().encode('test') },
    { at: new Date('2025-02-13T04:00:32Z'), collateral: caseCollateral('drs', 'dcap/occlum-collateral') },
  )
  assert.ok(r !== undefined)
  assert.equal(r.claims['tcb_status'], 'OutOfDate')
  assert.equal(r.claims['platform_instance_id'], '7a3a6941065cd5060bd93d3db2cfc0c8')
  assert.deepEqual(r.claims['body'], sgxQuoteClaims(parseDcapQuote(occlum))['body'])
})
