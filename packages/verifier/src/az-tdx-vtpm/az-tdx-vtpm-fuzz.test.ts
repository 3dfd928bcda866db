import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { fuzzVerifier } from '../fuzz/fuzz-verifier.ts'
import { mutateJson } from '../fuzz/mutate-json.ts'
import { mutateBytes, outcome, seededRandom } from '../tpm/fuzz-support.ts'
import { azTdxTestCollateral, AZ_TDX_TEST_TIME } from './az-tdx-test-support.ts'
import { createAzTdxVtpmVerifier } from './az-tdx-vtpm-verifier.ts'

interface V1 {
  version: number
  tpm_quote: { signature: string; message: string; pcrs: string[] }
  hcl_report: string
  td_quote: string
}

const golden = JSON.parse(
  readFileSync(new URL('../../fixtures/az-tdx-vtpm/evidence-v1.json', import.meta.url), 'utf8'),
) as V1
const expected = { reportData: new Uint8Array(Buffer.from('challenge')) }
const context = { at: AZ_TDX_TEST_TIME, collateral: azTdxTestCollateral() }

/*
 * The TDREPORT's MAC (32 bytes at 0x20 + 224 of the HCL report) can only be checked by the CPU that
 * made it (Intel's TD QE did, before signing the quote); it is the one byte range of the evidence
 * no verifier can check (hcl-td-report.ts), so a same-length mutation keeps the golden MAC bytes.
 * Every other byte of every field is mutated.
 */
const MAC: readonly [number, number] = [0x20 + 224, 0x20 + 256]
const goldenHcl = Buffer.from(golden.hcl_report, 'base64url')

function withGoldenMac(hclReport: string): string | undefined {
  const bytes = Buffer.from(hclReport, 'base64url')
  if (bytes.length !== goldenHcl.length) return hclReport
  goldenHcl.copy(bytes, MAC[0], MAC[0], MAC[1])
  return bytes.equals(goldenHcl) ? undefined : bytes.toString('base64url')
}

function mutated(pick: (n: number) => number): { evidence: V1; field: string } | undefined {
  const e: V1 = { ...golden, tpm_quote: { ...golden.tpm_quote, pcrs: [...golden.tpm_quote.pcrs] } }
  const change = (text: string, encoding: 'hex' | 'base64url'): string | undefined => {
    const before = Buffer.from(text, encoding)
    const after = Buffer.from(mutateBytes(new Uint8Array(before), pick))
    return after.equals(before) ? undefined : after.toString(encoding)
  }
  const field = (['hcl_report', 'td_quote', 'signature', 'message', 'pcrs'] as const)[pick(5)] ?? 'pcrs'
  let out: string | undefined
  if (field === 'hcl_report') {
    out = change(e.hcl_report, 'base64url')
    if (out !== undefined) out = withGoldenMac(out)
    if (out !== undefined) e.hcl_report = out
  } else if (field === 'td_quote') {
    out = change(e.td_quote, 'base64url')
    if (out !== undefined) e.td_quote = out
  } else if (field === 'pcrs') {
    const at = pick(e.tpm_quote.pcrs.length)
    out = change(e.tpm_quote.pcrs[at] ?? '', 'hex')
    if (out !== undefined) e.tpm_quote.pcrs[at] = out
  } else {
    out = change(e.tpm_quote[field], 'hex')
    if (out !== undefined) e.tpm_quote[field] = out
  }
  return out === undefined ? undefined : { evidence: e, field }
}

test('az-tdx-vtpm fuzz: 10,000 mutations of golden evidence are only ever rejected, with typed errors', async () => {
  const verifier = createAzTdxVtpmVerifier()
  assert.equal(await outcome(() => verifier.verify(golden, expected, context)), 'accepted')
  const pick = seededRandom(0x7d8)
  const accepted: string[] = []
  let rejected = 0
  for (let i = 0; i < 10_000; i++) {
    const m = mutated(pick)
    if (m === undefined) continue
    if ((await outcome(() => verifier.verify(m.evidence, expected, context))) === 'accepted') {
      const before = Buffer.from(golden[m.field === 'td_quote' ? 'td_quote' : 'hcl_report'], 'base64url')
      const after = Buffer.from(m.evidence[m.field === 'td_quote' ? 'td_quote' : 'hcl_report'], 'base64url')
      const diff = [...after.keys()].filter((k) => after[k] !== before[k])
      accepted.push(
        `${String(i)} ${m.field} len ${String(before.length)}->${String(after.length)} diff@${diff.slice(0, 4).join(',')}`,
      )
    } else rejected++
  }
  assert.deepEqual(accepted, [])
  assert.ok(rejected > 9_500, `${String(rejected)} rejected`)
})

test('az-tdx-vtpm fuzz: 2,000 field mutations of the evidence JSON are only ever rejected, with typed errors', async () => {
  const verifier = createAzTdxVtpmVerifier()
  const result = await fuzzVerifier({
    golden: golden,
    mutate: mutateJson,
    verify: (evidence) => verifier.verify(evidence, expected, context),
    runs: 2_000,
    seed: 0x7d9,
  })
  assert.equal(result.rejected + result.unchanged, 2_000)
})
