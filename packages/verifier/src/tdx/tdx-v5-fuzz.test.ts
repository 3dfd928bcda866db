import assert from 'node:assert/strict'
import { test } from 'node:test'
import { dcapFixture } from '../dcap/quote-fixtures.ts'
import { fuzzQuote } from '../dcap/quote-fuzz.ts'
import { syntheticDcapQuote } from '../dcap/synthetic-dcap-quote.ts'
import { syntheticTdxCollateral, SYNTHETIC_TDX_AT } from './tdx-synthetic-collateral.ts'
import { createTdxVerifier } from './tdx-verifier.ts'

test('tdx v5 fuzz: 2,000 mutations of a synthetic TDX 1.5 quote (body descriptor, 648-byte body) are refused with typed errors', async () => {
  const quote4 = dcapFixture('tdx_quote_4.dat')
  const body = Buffer.concat([quote4.subarray(48, 48 + 584), Buffer.from([5, 3, 5]), Buffer.alloc(13 + 48)])
  body[1] = 3 // TEE_TCB_SVN: module TDX_03
  body[0] = 5
  const pki = syntheticDcapQuote(quote4, { body, v5BodyType: 3 })
  const { rejected } = await fuzzQuote({
    verifier: createTdxVerifier({ trustedRoot: pki.root.x509 }),
    quote: pki.quote,
    evidence: (q) => ({ cc_eventlog: null, quote: Buffer.from(q).toString('base64') }),
    expected: { reportData: body.subarray(520, 584) },
    context: { at: SYNTHETIC_TDX_AT, collateral: syntheticTdxCollateral(pki).source() },
    runs: 2_000,
    seed: 0x7d5,
  })
  assert.ok(rejected > 1_600, `${String(rejected)} rejected`)
})
