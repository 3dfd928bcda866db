import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import type { JsonObject } from '@carapace/protocol'
import { dcapFixture } from '../dcap/quote-fixtures.ts'
import { syntheticDcapQuote, type SyntheticDcapQuote } from '../dcap/synthetic-dcap-quote.ts'
import { rejectsWith, verifierContract } from '../verifier-contract.ts'
import { syntheticTdxCollateral, SYNTHETIC_TDX_AT, type SyntheticTdxCollateral } from './tdx-synthetic-collateral.ts'
import { createTdxVerifier } from './tdx-verifier.ts'

/*
 * DCAP quote v5 end to end: tdx_quote_4.dat's TD report rebuilt as a v5 quote (body type 2, TDX 1.0,
 * and body type 3, TDX 1.5) on a synthetic PKI, with a TCB Info and QE Identity signed under that
 * PKI (tdx-synthetic-collateral.ts). Expected claims: upstream's parse golden of tdx_quote_4.dat
 * with the changed fields, plus the DCAP result.
 */

const quote4 = dcapFixture('tdx_quote_4.dat')
const at = SYNTHETIC_TDX_AT
const reportData = Buffer.from('carapace v5 report data '.repeat(3).slice(0, 64))
const initDataDigest = createHash('sha384').update('carapace init data').digest()
const mrServiceTd = Buffer.alloc(48, 0x5a)
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64')
const evidence = (quote: Uint8Array): JsonObject => ({ cc_eventlog: null, quote: b64(quote) })
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

/** TEE_TCB_SVN: [module SVN, module version (3 = TDX 1.5 module TDX_03), microcode 5, 0…]. */
const teeTcbSvn = (svn: number, version: number): Buffer =>
  Buffer.from([svn, version, 5, ...new Array<number>(13).fill(0)])

interface V5Body {
  readonly type: 2 | 3
  readonly tcbSvn?: Buffer
  readonly tcbSvn2?: Buffer
}

function v5Body({ type, tcbSvn, tcbSvn2 }: V5Body): Buffer {
  const body = Buffer.from(quote4.subarray(48, 48 + 584))
  if (tcbSvn !== undefined) tcbSvn.copy(body, 0)
  initDataDigest.copy(body, 184)
  reportData.copy(body, 520)
  return type === 2 ? body : Buffer.concat([body, tcbSvn2 ?? teeTcbSvn(5, 3), mrServiceTd])
}

interface V5Case {
  readonly pki: SyntheticDcapQuote
  readonly collateral: SyntheticTdxCollateral
}

function v5Case(body: V5Body): V5Case {
  const pki = syntheticDcapQuote(quote4, { body: v5Body(body), v5BodyType: body.type })
  return { pki, collateral: syntheticTdxCollateral(pki) }
}

/** Intel's root key id: SHA-384 of the root's uncompressed point. */
function rootKeyId(pki: SyntheticDcapQuote): string {
  const spki = pki.root.x509.publicKey.export({ format: 'der', type: 'spki' })
  return createHash('sha384')
    .update(spki.subarray(spki.length - 65))
    .digest('hex')
}

function expectedClaims(c: V5Case, type: 2 | 3, tcbSvn: string): JsonObject {
  const golden = JSON.parse(
    readFileSync(new URL('../../fixtures/dcap/parse_tdx_claims_expected.json', import.meta.url), 'utf8'),
  ) as { quote: { header: JsonObject; body: JsonObject }; td_attributes: JsonObject; platform_instance_id: string }
  const body: JsonObject = {
    ...golden.quote.body,
    tcb_svn: tcbSvn,
    mr_config_id: hex(initDataDigest),
    report_data: hex(reportData),
    ...(type === 3 ? { tee_tcb_svn2: hex(teeTcbSvn(5, 3)), mr_servicetd: hex(mrServiceTd) } : {}),
  }
  return {
    quote: {
      header: { ...golden.quote.header, version: '0500' },
      body,
      type: type === 3 ? '0300' : '0200',
      size: type === 3 ? '88020000' : '48020000',
    },
    report_data: hex(reportData),
    init_data: hex(initDataDigest),
    td_attributes: golden.td_attributes,
    platform_instance_id: golden.platform_instance_id,
    // The PCK leaf keeps tdx_quote_4.dat's SGX extension (go-tdx-guest-v4 levels: UpToDate, 2023-02-15).
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
    root_key_id: rootKeyId(c.pki),
    // Synthetic certificates 2020-01-01..2040-01-01, CRLs 2024-01-01..2030-01-01, TCB Info / QE Identity below.
    earliest_issue_date: '2020-01-01T00:00:00Z',
    latest_issue_date: '2026-11-20T00:00:00Z',
    earliest_expiration_date: '2026-12-20T00:00:00Z',
    collateral_expiration_status: '0',
  }
}

function tamper(quote: Uint8Array, offset: number): Uint8Array {
  const b = Uint8Array.from(quote)
  b[offset] = (b[offset] ?? 0) ^ 0x80
  return b
}

for (const type of [2, 3] as const) {
  const label = type === 2 ? 'TDX 1.0, body type 2' : 'TDX 1.5, body type 3'
  verifierContract(`tdx v5 (${label}, synthetic PKI and TCB Info)`, () => {
    const tcbSvn = type === 3 ? teeTcbSvn(5, 3) : undefined
    const c = v5Case({ type, ...(tcbSvn === undefined ? {} : { tcbSvn }) })
    const verifier = createTdxVerifier({ trustedRoot: c.pki.root.x509 })
    const context = { at, collateral: c.collateral.source() }
    return {
      verifier,
      golden: {
        evidence: evidence(c.pki.quote),
        expected: { reportData, initDataDigest },
        claims: [expectedClaims(c, type, hex(tcbSvn ?? quote4.subarray(48, 64)))],
        teeClass: 'cpu',
        context,
      },
      wrongReportData: Buffer.from(reportData).fill(0, 60),
      truncated: evidence(c.pki.quote.subarray(0, 700)),
      wrongInitDataDigest: createHash('sha384').update('other init data').digest(),
      tamperedSignature: { evidence: evidence(tamper(c.pki.quote, 54 + 136)) }, // mr_td
      untrustedRoot: { verifier: createTdxVerifier(), evidence: evidence(c.pki.quote) },
      expiredCertificate: { evidence: evidence(c.pki.quote), context: { ...context, at: new Date('2040-06-01') } },
      revokedCertificate: {
        evidence: evidence(c.pki.quote),
        context: { at, collateral: c.collateral.source([c.pki.leaf]) },
      },
    }
  })
}

describe('tdx v5 (TDX 1.5): TCB of the TDX module', () => {
  const verify = async (c: V5Case): Promise<JsonObject> => {
    const [r] = await createTdxVerifier({ trustedRoot: c.pki.root.x509 }).verify(
      evidence(c.pki.quote),
      { reportData },
      { at, collateral: c.collateral.source() },
    )
    assert.ok(r !== undefined)
    return r.claims
  }

  test('a module at SVN 3 (TDX_03 OutOfDate) whose TEE_TCB_SVN2 is current: TDRelaunchAdvised', async () => {
    const claims = await verify(v5Case({ type: 3, tcbSvn: teeTcbSvn(3, 3), tcbSvn2: teeTcbSvn(5, 3) }))
    assert.equal(claims['tcb_status'], 'TDRelaunchAdvised')
  })

  test('a module at SVN 3 with TEE_TCB_SVN2 also at 3: OutOfDate', async () => {
    const claims = await verify(v5Case({ type: 3, tcbSvn: teeTcbSvn(3, 3), tcbSvn2: teeTcbSvn(3, 3) }))
    assert.equal(claims['tcb_status'], 'OutOfDate')
  })

  test('a module version the TCB Info has no identity for (TDX_04): POLICY_VIOLATION', async () => {
    const c = v5Case({ type: 3, tcbSvn: teeTcbSvn(5, 4) })
    await rejectsWith(
      createTdxVerifier({ trustedRoot: c.pki.root.x509 }).verify(
        evidence(c.pki.quote),
        { reportData },
        { at, collateral: c.collateral.source() },
      ),
      'POLICY_VIOLATION',
    )
  })

  test('a module below every TDX_03 level (SVN 2): TCB_OUT_OF_DATE', async () => {
    const c = v5Case({ type: 3, tcbSvn: teeTcbSvn(2, 3) })
    await rejectsWith(
      createTdxVerifier({ trustedRoot: c.pki.root.x509 }).verify(
        evidence(c.pki.quote),
        { reportData },
        { at, collateral: c.collateral.source() },
      ),
      'TCB_OUT_OF_DATE',
    )
  })

  test('the body descriptor is signed: body type 3 relabelled as 2 does not parse, a changed mr_servicetd does not verify', async () => {
    const c = v5Case({ type: 3, tcbSvn: teeTcbSvn(5, 3) })
    const v = createTdxVerifier({ trustedRoot: c.pki.root.x509 })
    const context = { at, collateral: c.collateral.source() }
    const relabelled = Uint8Array.from(c.pki.quote)
    relabelled[48] = 2
    await rejectsWith(v.verify(evidence(relabelled), { reportData }, context), 'EVIDENCE_MALFORMED')
    await rejectsWith(v.verify(evidence(tamper(c.pki.quote, 54 + 600)), { reportData }, context), 'SIGNATURE_INVALID')
  })
})
