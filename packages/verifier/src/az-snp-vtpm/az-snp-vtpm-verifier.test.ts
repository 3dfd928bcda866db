import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import type { JsonObject } from '@carapace/protocol'
import { checkHclUserData, parseHclReport } from '../tpm/hcl-report.ts'
import { rejectsWith, verifierContract } from '../verifier-contract.ts'
import { syntheticAmdChain, syntheticAmdCrl } from '../snp/snp-synthetic-pki.ts'
import { resignReport } from '../snp/snp-test-support.ts'
import type { Verifier } from '../verifier.ts'
import { createAzSnpVtpmVerifier } from './az-snp-vtpm-verifier.ts'

/** The SNP report's offset in an HCL report (after its 32-byte header). */
const HCL_HEADER_SIZE = 0x20

const FIXTURES = new URL('../../fixtures/az-snp-vtpm/', import.meta.url)
const text = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8')
const at = new Date('2026-01-01T00:00:00Z')
const challenge = new Uint8Array(Buffer.from('challenge'))
const v2ReportData = new Uint8Array(
  Buffer.from(
    '982f5c6e45df0ed3f10b6f60b02f0c8390e281300f3805e2279c16168cd6ae9aa398f647caa2338748cd0fd9f5f819ef',
    'hex',
  ),
)
const v2 = JSON.parse(text('evidence-v2.json')) as { tpm_quote: { signature: string; pcrs: string[] } } & JsonObject

function pcrClaims(pcrs: readonly string[]): JsonObject {
  return Object.fromEntries(pcrs.map((p, i) => [`pcr${String(i).padStart(2, '0')}`, p.toLowerCase()]))
}

const v2Claims: JsonObject = {
  policy_abi_major: '0',
  policy_abi_minor: '31',
  policy_smt_allowed: 'true',
  policy_migrate_ma: 'false',
  policy_debug_allowed: 'false',
  policy_single_socket: 'false',
  reported_tcb_bootloader: '4',
  reported_tcb_tee: '0',
  reported_tcb_snp: '24',
  reported_tcb_microcode: '219',
  platform_tsme_enabled: 'false',
  platform_smt_enabled: 'true',
  measurement: 'WwzmStHB9jddvaX3YLmFJsobz5G4GVCRr8KOewJCUdaP4y4FrzQEjWYHZ4zSMoP/',
  report_data: Buffer.from(v2ReportData).toString('hex'),
  init_data: '00'.repeat(32),
  tpm: pcrClaims(v2.tpm_quote.pcrs),
}

/** evidence-v2 with the SNP report inside the HCL report re-signed by a synthetic VCEK, and that VCEK. */
const synthetic = ((): { chain: ReturnType<typeof syntheticAmdChain>; evidence: JsonObject; verifier: Verifier } => {
  const hclText = v2['hcl_report']
  assert.ok(typeof hclText === 'string')
  const hclBytes = new Uint8Array(Buffer.from(hclText, 'base64url'))
  const hardware = parseHclReport(hclBytes).hardwareReport
  const chain = syntheticAmdChain(hardware)
  const hcl = Buffer.from(hclBytes)
  Buffer.from(resignReport(hardware, chain.vcek.key.privateKey)).copy(hcl, HCL_HEADER_SIZE)
  return {
    chain,
    evidence: {
      ...v2,
      hcl_report: hcl.toString('base64url'),
      vcek: Buffer.from(chain.vcek.der).toString('base64url'),
    },
    verifier: createAzSnpVtpmVerifier({
      roots: () => ({ ark: chain.ark.x509, ask: chain.ask.x509, asvk: chain.ask.x509 }),
    }),
  }
})()

function flipped(hex: string): string {
  const bytes = Buffer.from(hex, 'hex')
  bytes[0] = (bytes[0] ?? 0) ^ 1
  return bytes.toString('hex')
}

verifierContract('az-snp-vtpm', () => ({
  verifier: createAzSnpVtpmVerifier(),
  golden: {
    evidence: text('evidence-v2.json'),
    expected: { reportData: v2ReportData },
    teeClass: 'cpu',
    claims: [v2Claims],
    context: { at },
  },
  wrongReportData: new Uint8Array(48).fill(1),
  truncated: text('evidence-v2.json').slice(0, 4000),
  wrongInitDataDigest: new Uint8Array(32).fill(2),
  tamperedSignature: {
    evidence: { ...v2, tpm_quote: { ...v2.tpm_quote, signature: flipped(v2.tpm_quote.signature) } },
  },
  expiredCertificate: { evidence: v2, context: { at: new Date('2032-06-01T00:00:00Z') } },
  // No untrustedRoot: the evidence carries only the VCEK, never an ARK/ASK of its own.
  // The synthetic ARK/ASK pinned, so an ARK-signed CRL listing the ASK verifies.
  revokedCertificate: {
    verifier: synthetic.verifier,
    evidence: synthetic.evidence,
    context: { at, collateral: syntheticAmdCrl(synthetic.chain.ark, [synthetic.chain.ask]) },
  },
}))

test('az-snp-vtpm: the SNP report re-signed by a synthetic VCEK passes its pinned synthetic ARK/ASK', async () => {
  const collateral = syntheticAmdCrl(synthetic.chain.ark, [synthetic.chain.vcek])
  const [r] = await synthetic.verifier.verify(synthetic.evidence, { reportData: v2ReportData }, { at, collateral })
  assert.deepEqual(r?.claims, v2Claims)
  assert.ok(collateral.requests.some((request) => request.kind === 'amd-crl'))
})

describe('az-snp-vtpm: upstream evidence', () => {
  for (const version of ['v0', 'v1']) {
    test(`evidence-${version} with nonce "challenge": report_data and tpm.pcr00 as upstream expects`, async () => {
      const [result] = await createAzSnpVtpmVerifier().verify(
        text(`evidence-${version}.json`),
        { reportData: challenge },
        { at },
      )
      assert.equal(result?.claims['report_data'], '6368616c6c656e6765')
      const tpm = result.claims['tpm'] as JsonObject
      assert.equal(tpm['pcr00'], 'e15c44796beabf46abcec7c57e590942041e47497e4ec27571c8b7664f48dced')
      assert.equal(Object.keys(tpm).length, 24)
      assert.equal(result.claims['init_data'], '00'.repeat(32))
    })
  }

  test('evidence-v2: user-data must start with the expected report data (hex, any case)', () => {
    const v2Hcl = parseHclReport(new Uint8Array(Buffer.from(v2['hcl_report'] as string, 'base64url')))
    checkHclUserData(v2Hcl, v2ReportData)
    assert.throws(
      () => {
        checkHclUserData(v2Hcl, new Uint8Array([0x12, 0x3a, 0xbc]))
      },
      (e: unknown) => e instanceof Error && 'code' in e && e.code === 'REPORT_DATA_MISMATCH',
    )
  })

  test('another evidence version is UNSUPPORTED_VERSION', async () => {
    await rejectsWith(
      createAzSnpVtpmVerifier().verify({ ...v2, version: 3 }, { reportData: v2ReportData }, { at }),
      'UNSUPPORTED_VERSION',
    )
  })
})

describe('az-snp-vtpm: hcl-report.bin + tpm-quote-v1.json + vcek.pem (SNP report version 2)', () => {
  const hcl = readFileSync(new URL('hcl-report.bin', FIXTURES))
  const quote = JSON.parse(text('tpm-quote-v1.json')) as JsonObject
  const vcek = Buffer.from(new X509Certificate(readFileSync(new URL('vcek.pem', FIXTURES))).raw)
  const evidence = (report: Uint8Array): JsonObject => ({
    version: 1,
    tpm_quote: quote,
    hcl_report: Buffer.from(report).toString('base64url'),
    vcek: vcek.toString('base64url'),
  })
  const tampered = (offset: number, value: (b: number) => number): Uint8Array => {
    const copy = new Uint8Array(hcl)
    copy[offset] = value(copy[offset] ?? 0)
    return copy
  }

  test('verifies: nonce "challenge", pcr00 f3a7e99a…, var-data bound into REPORT_DATA', async () => {
    const [result] = await createAzSnpVtpmVerifier().verify(evidence(hcl), { reportData: challenge }, { at })
    assert.equal(result?.claims['report_data'], '6368616c6c656e6765')
    assert.equal(
      (result.claims['tpm'] as JsonObject)['pcr00'],
      'f3a7e99a5f819a034386bce753a48a73cfdaa0bea0ecfc124bedbf5a8c4799be',
    )
    assert.equal(
      Buffer.from(parseHclReport(new Uint8Array(hcl)).varDataSha256).toString('hex'),
      'b3fbad6514c83caeb0380882145e49f794229ef37c421b91fc47ff93556bafac',
    )
  })

  test('byte 0x1a6 (reported TCB SNP SPL) zeroed: the VCEK is for another TCB', async () => {
    await rejectsWith(
      createAzSnpVtpmVerifier().verify(evidence(tampered(0x1a6, () => 0)), { reportData: challenge }, { at }),
      'TCB_OUT_OF_DATE',
    )
  })

  test('bytes 0x6e0 / 0x880 (variable data) changed: REPORT_DATA no longer binds it', async () => {
    for (const offset of [0x6e0, 0x880]) {
      await rejectsWith(
        createAzSnpVtpmVerifier().verify(evidence(tampered(offset, (b) => b + 1)), { reportData: challenge }, { at }),
        'REPORT_DATA_MISMATCH',
      )
    }
  })

  test('byte 0x540 (inside the AK JWK) zeroed: no attestation key, EVIDENCE_MALFORMED', async () => {
    await rejectsWith(
      createAzSnpVtpmVerifier().verify(evidence(tampered(0x540, () => 0)), { reportData: challenge }, { at }),
      'EVIDENCE_MALFORMED',
    )
  })

  test('the nonce reversed is REPORT_DATA_MISMATCH; a changed PCR is POLICY_VIOLATION', async () => {
    await rejectsWith(
      createAzSnpVtpmVerifier().verify(evidence(hcl), { reportData: challenge.slice().reverse() }, { at }),
      'REPORT_DATA_MISMATCH',
    )
    const pcrs = [...(quote['pcrs'] as string[])]
    pcrs[0] = flipped(pcrs[0] ?? '')
    await rejectsWith(
      createAzSnpVtpmVerifier().verify(
        { ...evidence(hcl), tpm_quote: { ...quote, pcrs } },
        { reportData: challenge },
        { at },
      ),
      'POLICY_VIOLATION',
    )
  })

  test('PCR8 init-data rule: PCR8 (zero) is not the extend of a digest', async () => {
    await rejectsWith(
      createAzSnpVtpmVerifier().verify(
        evidence(hcl),
        { reportData: challenge, initDataDigest: new Uint8Array(32) },
        { at },
      ),
      'INIT_DATA_MISMATCH',
    )
  })
})
