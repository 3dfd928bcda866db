import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { parseAzTdxEvidence } from '../az-tdx-vtpm/az-tdx-evidence.ts'
import { createAzSnpVtpmVerifier } from './az-snp-vtpm-verifier.ts'
import { parseAzSnpEvidence } from './az-snp-evidence.ts'

type Json = Record<string, unknown> & { tpm_quote: Record<string, unknown> & { pcrs: string[] } }
const fixture = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8')) as Json
const v2 = fixture('az-snp-vtpm/evidence-v2.json')
const tdx = fixture('az-tdx-vtpm/evidence-v1.json')

function code(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    assert.ok(error instanceof VerificationError, String(error))
    return error.code
  }
  return 'accepted'
}

test('Azure vTPM evidence JSON: only upstream fields, lower-case hex, canonical base64url', () => {
  assert.equal(
    code(() => parseAzSnpEvidence(v2)),
    'accepted',
  )
  assert.equal(
    code(() => parseAzTdxEvidence(tdx)),
    'accepted',
  )
  const pcr = v2.tpm_quote.pcrs[0] ?? ''
  const vcek = String(v2['vcek'])
  const variants: Json[] = [
    { ...v2, extra: 1 },
    { ...v2, tpm_quote: { ...v2.tpm_quote, nonce: '00' } },
    { ...v2, tpm_quote: { ...v2.tpm_quote, pcrs: [pcr.toUpperCase(), ...v2.tpm_quote.pcrs.slice(1)] } },
    { ...v2, tpm_quote: { ...v2.tpm_quote, signature: String(v2.tpm_quote['signature']).toUpperCase() } },
    { ...v2, vcek: `${vcek.replace(/=+$/, '')}=` }, // partial padding
    { ...v2, vcek: Buffer.from(vcek, 'base64url').toString('base64') }, // standard alphabet
  ]
  for (const [i, evidence] of variants.entries()) {
    assert.equal(
      code(() => parseAzSnpEvidence(evidence)),
      'EVIDENCE_MALFORMED',
      `variant ${String(i)}`,
    )
  }
  assert.equal(
    code(() => parseAzTdxEvidence({ ...tdx, user: 'x' })),
    'EVIDENCE_MALFORMED',
  )
})

test('az-snp-vtpm: v2 evidence relabelled v1 (skipping the user-data check) is refused', async () => {
  const verifier = createAzSnpVtpmVerifier()
  const reportData = new Uint8Array(
    Buffer.from(
      '982f5c6e45df0ed3f10b6f60b02f0c8390e281300f3805e2279c16168cd6ae9aa398f647caa2338748cd0fd9f5f819ef',
      'hex',
    ),
  )
  const context = { at: new Date('2026-01-01T00:00:00Z') }
  await verifier.verify(v2, { reportData }, context)
  await assert.rejects(verifier.verify({ ...v2, version: 1 }, { reportData }, context), (error) => {
    assert.ok(error instanceof VerificationError)
    assert.equal(error.code, 'EVIDENCE_MALFORMED')
    return true
  })
})

test('the HCL report text repeated: the same bytes without decoding again; any other text decoded and checked', () => {
  const first = parseAzTdxEvidence(tdx).hclReport
  assert.equal(parseAzTdxEvidence({ ...tdx }).hclReport, first)
  const text = String(tdx['hcl_report'])
  const unpadded = text.replace(/=+$/, '')
  const other = parseAzTdxEvidence({ ...tdx, hcl_report: unpadded }).hclReport
  assert.notEqual(other, first)
  assert.deepEqual(other, first)
  for (const bad of [`${unpadded}==`, Buffer.from(text, 'base64url').toString('base64'), 5]) {
    assert.equal(
      code(() => parseAzTdxEvidence({ ...tdx, hcl_report: bad })),
      'EVIDENCE_MALFORMED',
    )
  }
  assert.equal(parseAzTdxEvidence({ ...tdx, hcl_report: unpadded }).hclReport, other)
})
