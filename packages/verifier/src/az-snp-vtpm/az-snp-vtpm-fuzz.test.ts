import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { fuzzVerifier } from '../fuzz/fuzz-verifier.ts'
import { mutateJson } from '../fuzz/mutate-json.ts'
import { mutateBytes, outcome, seededRandom } from '../tpm/fuzz-support.ts'
import { createAzSnpVtpmVerifier } from './az-snp-vtpm-verifier.ts'

interface V2 {
  version: number
  tpm_quote: { signature: string; message: string; pcrs: string[] }
  hcl_report: string
  vcek: string
}

const golden = JSON.parse(
  readFileSync(new URL('../../fixtures/az-snp-vtpm/evidence-v2.json', import.meta.url), 'utf8'),
) as V2
const reportData = new Uint8Array(
  Buffer.from(
    '982f5c6e45df0ed3f10b6f60b02f0c8390e281300f3805e2279c16168cd6ae9aa398f647caa2338748cd0fd9f5f819ef',
    'hex',
  ),
)
const context = { at: new Date('2026-01-01T00:00:00Z') }

/** One binary field of the evidence, decoded, mutated and encoded back. */
function mutated(pick: (n: number) => number): V2 | undefined {
  const e: V2 = { ...golden, tpm_quote: { ...golden.tpm_quote, pcrs: [...golden.tpm_quote.pcrs] } }
  const change = (text: string, encoding: 'hex' | 'base64url'): string | undefined => {
    const before = Buffer.from(text, encoding)
    const after = Buffer.from(mutateBytes(new Uint8Array(before), pick))
    return after.equals(before) ? undefined : after.toString(encoding)
  }
  let out: string | undefined
  switch (pick(5)) {
    case 0:
      out = change(e.hcl_report, 'base64url')
      if (out !== undefined) e.hcl_report = out
      break
    case 1:
      out = change(e.vcek, 'base64url')
      if (out !== undefined) e.vcek = out
      break
    case 2:
      out = change(e.tpm_quote.signature, 'hex')
      if (out !== undefined) e.tpm_quote.signature = out
      break
    case 3:
      out = change(e.tpm_quote.message, 'hex')
      if (out !== undefined) e.tpm_quote.message = out
      break
    default: {
      const at = pick(e.tpm_quote.pcrs.length)
      out = change(e.tpm_quote.pcrs[at] ?? '', 'hex')
      if (out !== undefined) e.tpm_quote.pcrs[at] = out
    }
  }
  return out === undefined ? undefined : e
}

test('az-snp-vtpm fuzz: 10,000 mutations of golden evidence are only ever rejected, with typed errors', async () => {
  const verifier = createAzSnpVtpmVerifier()
  assert.equal(await outcome(() => verifier.verify(golden, { reportData }, context)), 'accepted')
  const pick = seededRandom(0xa25)
  let rejected = 0
  for (let i = 0; i < 10_000; i++) {
    const evidence = mutated(pick)
    if (evidence === undefined) continue
    const result = await outcome(() => verifier.verify(evidence, { reportData }, context))
    assert.equal(result, 'rejected', `mutation ${String(i)} was accepted: ${JSON.stringify(evidence)}`)
    rejected++
  }
  assert.ok(rejected > 9_500, `${String(rejected)} rejected`)
})

test('az-snp-vtpm fuzz: 2,000 field mutations of the evidence JSON are only ever rejected, with typed errors', async () => {
  const verifier = createAzSnpVtpmVerifier()
  const result = await fuzzVerifier({
    golden: golden,
    mutate: mutateJson,
    verify: (evidence) => verifier.verify(evidence, { reportData }, context),
    runs: 2_000,
    seed: 0xa26,
  })
  assert.equal(result.rejected + result.unchanged, 2_000)
})
