import assert from 'node:assert/strict'
import { test } from 'node:test'
import { caseCollateral, dcapFixture } from '../dcap/quote-fixtures.ts'
import { fuzzQuote } from '../dcap/quote-fuzz.ts'
import { fuzzVerifier } from '../fuzz/fuzz-verifier.ts'
import { mutateJson } from '../fuzz/mutate-json.ts'
import { createTdxVerifier } from './tdx-verifier.ts'

test('tdx fuzz: 10,000 mutations of tdx_quote_4.dat are only ever refused, with typed errors', async () => {
  const quote = dcapFixture('tdx_quote_4.dat')
  const { rejected, unchanged } = await fuzzQuote({
    verifier: createTdxVerifier(),
    quote,
    evidence: (q) => ({ cc_eventlog: null, quote: Buffer.from(q).toString('base64') }),
    expected: { reportData: quote.subarray(48 + 520, 48 + 584) },
    context: { at: new Date('2023-07-01T01:00:00Z'), collateral: caseCollateral('gtg', 'go-tdx-guest-v4') },
    runs: 10_000,
    seed: 0x7d4,
  })
  assert.equal(rejected + unchanged, 10_000)
  assert.ok(rejected > 9_000, `${String(rejected)} rejected`)
})

test('tdx fuzz: 2,000 field mutations of the evidence JSON are only ever refused, with typed errors', async () => {
  const quote = dcapFixture('tdx_quote_4.dat')
  const verifier = createTdxVerifier()
  const context = { at: new Date('2023-07-01T01:00:00Z'), collateral: caseCollateral('gtg', 'go-tdx-guest-v4') }
  const result = await fuzzVerifier({
    golden: { cc_eventlog: null, quote: Buffer.from(quote).toString('base64') },
    mutate: mutateJson,
    verify: (evidence) => verifier.verify(evidence, { reportData: quote.subarray(48 + 520, 48 + 584) }, context),
    runs: 2_000,
    seed: 0x7d5,
  })
  assert.equal(result.rejected + result.unchanged, 2_000)
  assert.ok((result.codes.EVIDENCE_MALFORMED ?? 0) > 0)
})
