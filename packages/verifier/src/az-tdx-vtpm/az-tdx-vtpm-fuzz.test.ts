import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
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

function mutated(pick: (n: number) => number): { evidence: V1; field: string } | undefined {
  const e: V1 = { ...golden, tpm_quote: { ...golden.tpm_quote, pcrs: [...golden.tpm_quote.pcrs] } }
  const change = (text: string, encoding: 'hex' | 'base64url'): string | undefined => {
    const before = Buffer.from(text, encoding)
    const after = Buffer.from(mutateBytes(new Uint8Array(before), pick))
    return after.equals(before) ? undefined : after.toString(encoding)
  }
  const field = (['hcl_report', 'td_quote', 'signature', 'message', 'pcrs'] as const)[pick(5)] ?? 'pcrs'
  let out: string | undefined
  if (field === 'hcl_report' || field === 'td_quote') {
    out = change(e[field], 'base64url')
    if (out !== undefined) e[field] = out
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

test('az-tdx-vtpm fuzz: 10,000 mutations are rejected with typed errors, unless they change nothing verified', async () => {
  const verifier = createAzTdxVtpmVerifier()
  const [reference] = await verifier.verify(golden, expected, context)
  const pick = seededRandom(0x7d8)
  for (let i = 0; i < 10_000; i++) {
    const m = mutated(pick)
    if (m === undefined) continue
    if ((await outcome(() => verifier.verify(m.evidence, expected, context))) === 'accepted') {
      // Unsigned bytes the verifier does not use (TDREPORT MAC and hashes, zero padding of the HCL
      // report or the quote's certification data) may differ; nothing that is reported may.
      assert.ok(m.field === 'hcl_report' || m.field === 'td_quote', `mutation ${String(i)} of ${m.field} was accepted`)
      const [result] = await verifier.verify(m.evidence, expected, context)
      assert.deepEqual(result, reference, `mutation ${String(i)} of ${m.field} changed the claims`)
    }
  }
})
