import assert from 'node:assert/strict'
import { test } from 'node:test'
import { caseCollateral, dcapFixture } from '../dcap/quote-fixtures.ts'
import { fuzzQuote } from '../dcap/quote-fuzz.ts'
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
