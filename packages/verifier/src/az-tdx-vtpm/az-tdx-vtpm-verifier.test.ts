import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import type { JsonObject } from '@carapace/protocol'
import { fixedTcbEvaluation } from '../dcap/quote-fixtures.ts'
import { parseDcapQuote, quoteReportData } from '../dcap/quote-parse.ts'
import { syntheticDcapQuote, type SyntheticDcapQuote } from '../dcap/synthetic-dcap-quote.ts'
import { checkHclVarDataBinding, hclAttestationKey, parseHclReport } from '../tpm/hcl-report.ts'
import { checkVtpmQuote, vtpmQuoteFromHex } from '../tpm/vtpm-quote.ts'
import { rejectsWith, verifierContract } from '../verifier-contract.ts'
import { azTdxTestCollateral, AZ_TDX_TEST_TIME } from './az-tdx-test-support.ts'
import { createAzTdxVtpmVerifier } from './az-tdx-vtpm-verifier.ts'

const FIXTURES = new URL('../../fixtures/az-tdx-vtpm/', import.meta.url)
const file = (name: string): Buffer => readFileSync(new URL(name, FIXTURES))
const text = (name: string): string => file(name).toString('utf8')
const challenge = new Uint8Array(Buffer.from('challenge'))
const at = AZ_TDX_TEST_TIME
const collateral = azTdxTestCollateral()

const v1 = JSON.parse(text('evidence-v1.json')) as JsonObject & { tpm_quote: JsonObject & { signature: string } }
const golden = JSON.parse(text('expected-claims-v1.json')) as JsonObject
const synthetic = ((): { pki: SyntheticDcapQuote; evidence: JsonObject } => {
  const tdQuote = v1['td_quote']
  assert.ok(typeof tdQuote === 'string')
  const pki = syntheticDcapQuote(new Uint8Array(Buffer.from(tdQuote, 'base64url')))
  return { pki, evidence: { ...v1, td_quote: Buffer.from(pki.quote).toString('base64url') } }
})()

function flipFirstByte(hex: string): string {
  const bytes = Buffer.from(hex, 'hex')
  bytes[0] = (bytes[0] ?? 0) ^ 1
  return bytes.toString('hex')
}

verifierContract('az-tdx-vtpm', () => ({
  verifier: createAzTdxVtpmVerifier(),
  golden: {
    evidence: text('evidence-v1.json'),
    expected: { reportData: challenge },
    teeClass: 'cpu',
    claims: [golden],
    context: { at, collateral },
  },
  wrongReportData: new Uint8Array(48).fill(3),
  truncated: text('evidence-v1.json').slice(0, 5000),
  wrongInitDataDigest: new Uint8Array(32).fill(4),
  tamperedSignature: {
    evidence: { ...v1, tpm_quote: { ...v1.tpm_quote, signature: flipFirstByte(v1.tpm_quote.signature) } },
  },
  expiredCertificate: { evidence: v1, context: { at: new Date('2025-10-03T00:00:00Z'), collateral } },
  untrustedRoot: { evidence: synthetic.evidence },
  // The synthetic PKI pinned, so its CA's CRL, which lists the PCK leaf, verifies.
  revokedCertificate: {
    verifier: createAzTdxVtpmVerifier({
      trustedRoot: synthetic.pki.root.x509,
      evaluateTcb: fixedTcbEvaluation({ tcb_status: 'UpToDate' }),
    }),
    evidence: synthetic.evidence,
    context: { at, collateral: synthetic.pki.crls([synthetic.pki.leaf]) },
  },
}))

test('az-tdx-vtpm: the TD quote on the synthetic PKI, nothing revoked, passes the pinned synthetic root', async () => {
  const v = createAzTdxVtpmVerifier({
    trustedRoot: synthetic.pki.root.x509,
    evaluateTcb: fixedTcbEvaluation({ tcb_status: 'UpToDate' }),
  })
  const [r] = await v.verify(synthetic.evidence, { reportData: challenge }, { at, collateral: synthetic.pki.crls([]) })
  assert.equal(r?.claims['tcb_status'], 'UpToDate')
})

describe('az-tdx-vtpm: upstream evidence and expectations', () => {
  test('v0 and v1 give the same claims: report_data "challenge", tpm.pcr00 782b20b1…, DCAP OutOfDate', async () => {
    const [v0] = await createAzTdxVtpmVerifier().verify(
      text('evidence-v0.json'),
      { reportData: challenge },
      { at, collateral },
    )
    assert.deepEqual(v0?.claims, golden)
    assert.equal(golden['report_data'], '6368616c6c656e6765')
    assert.equal(
      (golden['tpm'] as JsonObject)['pcr00'],
      '782b20b10f55cc46e2142cc2145d548698073e5beb82752c8d7f9279f0d8a273',
    )
    const body = (golden['quote'] as JsonObject)['body'] as JsonObject
    assert.equal(
      body['mr_td'],
      '024a32b070383331181619fa387cb4d55d1e38879f989933055ccad5bc2db795d1737b66205949d15469dc8c1ba7ab7b',
    )
    assert.equal(body['xfam'], 'e718060000000000')
    assert.equal(golden['tcb_status'], 'OutOfDate')
    assert.deepEqual(golden['advisory_ids'], ['INTEL-SA-00960', 'INTEL-SA-00982', 'INTEL-SA-00986'])
  })

  test('hcl-report.bin: SHA-256(var-data) is td-quote.bin report_data[0..32]; byte 0x880 changed breaks it', () => {
    const hcl = file('hcl-report.bin')
    const reportData = quoteReportData(parseDcapQuote(new Uint8Array(file('td-quote.bin'))))
    const parsed = parseHclReport(new Uint8Array(hcl))
    assert.equal(parsed.reportType, 'tdx')
    assert.equal(
      Buffer.from(parsed.varDataSha256).toString('hex'),
      '9734504f161d104c74e3165c15f779b06a9bb40dfa71937817d7eee68e593839',
    )
    checkHclVarDataBinding(parsed, reportData)
    const tampered = new Uint8Array(hcl)
    tampered[0x880] = (tampered[0x880] ?? 0) + 1
    assert.throws(
      () => {
        checkHclVarDataBinding(parseHclReport(tampered), reportData)
      },
      (e: unknown) => e instanceof Error && 'code' in e && e.code === 'REPORT_DATA_MISMATCH',
    )
  })

  test('tpm-quote-v1.json: signed by the HCL AK with nonce "challenge"; reversed nonce and a changed PCR fail', () => {
    const ak = hclAttestationKey(parseHclReport(new Uint8Array(file('hcl-report.bin'))))
    const quote = vtpmQuoteFromHex(JSON.parse(text('tpm-quote-v1.json')), 'az-tdx-vtpm')
    const checked = checkVtpmQuote(quote, ak, challenge)
    assert.equal(checked.pcrs.size, 24)
    const code = (run: () => unknown): string => {
      try {
        run()
      } catch (e) {
        return e instanceof Error && 'code' in e ? String(e.code) : 'other'
      }
      return 'none'
    }
    assert.equal(
      code(() => checkVtpmQuote(quote, ak, challenge.slice().reverse())),
      'REPORT_DATA_MISMATCH',
    )
    const pcrs = [...quote.pcrs]
    pcrs[0] = new Uint8Array(32)
    assert.equal(
      code(() => checkVtpmQuote({ ...quote, pcrs }, ak, challenge)),
      'POLICY_VIOLATION',
    )
    const signature = quote.signature.slice()
    signature[0] = (signature[0] ?? 0) ^ 1
    assert.equal(
      code(() => checkVtpmQuote({ ...quote, signature }, ak, challenge)),
      'SIGNATURE_INVALID',
    )
  })

  test('an SNP HCL report is not TDX evidence; without Intel collateral the TD quote is COLLATERAL_UNAVAILABLE', async () => {
    const snpHcl = readFileSync(new URL('../az-snp-vtpm/hcl-report.bin', FIXTURES))
    await rejectsWith(
      createAzTdxVtpmVerifier().verify(
        { ...v1, hcl_report: snpHcl.toString('base64url') },
        { reportData: challenge },
        { at },
      ),
      'EVIDENCE_MALFORMED',
    )
    await rejectsWith(createAzTdxVtpmVerifier().verify(v1, { reportData: challenge }, { at }), 'COLLATERAL_UNAVAILABLE')
  })
})

describe('az-tdx-vtpm: unsigned parts of the HCL report must agree with the signed ones', () => {
  const hcl = file('hcl-report.bin')
  const withHcl = (mutate: (b: Buffer) => void): JsonObject => {
    const copy = Buffer.from(hcl)
    mutate(copy)
    return { ...v1, hcl_report: copy.toString('base64url') }
  }
  const cases: [string, (b: Buffer) => void][] = [
    ['TDREPORT report data', (b) => (b[0x20 + 128] = (b[0x20 + 128] ?? 0) ^ 1)],
    ['TDREPORT MRTD', (b) => (b[0x20 + 512 + 16] = (b[0x20 + 512 + 16] ?? 0) ^ 1)],
    ['TDREPORT padding', (b) => (b[0x20 + 1100] = 1)],
    ['HCL header status', (b) => (b[16] = 1)],
    ['HCL header reserved bytes', (b) => (b[24] = 1)],
    ['padding after report_size', (b) => (b[b.length - 1] = 1)],
  ]
  for (const [name, mutate] of cases) {
    test(`${name} changed is EVIDENCE_MALFORMED`, async () => {
      await rejectsWith(
        createAzTdxVtpmVerifier().verify(withHcl(mutate), { reportData: challenge }, { at, collateral }),
        'EVIDENCE_MALFORMED',
      )
    })
  }
})
