import assert from 'node:assert/strict'
import { test } from 'node:test'
import { caseCollateral, dcapFixture } from '../dcap/quote-fixtures.ts'
import { fuzzQuote } from '../dcap/quote-fuzz.ts'
import { fuzzVerifier } from '../fuzz/fuzz-verifier.ts'
import { mutateJson } from '../fuzz/mutate-json.ts'
import { createSgxVerifier } from './sgx-verifier.ts'

test('sgx fuzz: 10,000 mutations of the dcap-qvl SGX quote are only ever refused, with typed errors', async () => {
  const { rejected, unchanged } = await fuzzQuote({
    verifier: createSgxVerifier(),
    quote: dcapFixture('qvl-sgx-quote.dat'),
    evidence: (q) => ({ quote: Buffer.from(q).toString('base64') }),
    expected: { reportData: new TextEncoder().encode('Hello, world!') },
    context: { at: new Date('2025-07-19T10:01:17Z'), collateral: caseCollateral('qvl-sgx', 'qvl-sgx') },
    runs: 10_000,
    seed: 0x5a3,
  })
  assert.equal(rejected + unchanged, 10_000)
  assert.ok(rejected > 9_000, `${String(rejected)} rejected`)
})

test('sgx fuzz: 2,000 field mutations of the evidence JSON are only ever refused, with typed errors', async () => {
  const verifier = createSgxVerifier()
  const context = { at: new Date('2025-07-19T10:01:17Z'), collateral: caseCollateral('qvl-sgx', 'qvl-sgx') }
  const result = await fuzzVerifier({
    golden: { quote: Buffer.from(dcapFixture('qvl-sgx-quote.dat')).toString('base64') },
    mutate: mutateJson,
    verify: (evidence) => verifier.verify(evidence, { reportData: new TextEncoder().encode('Hello, world!') }, context),
    runs: 2_000,
    seed: 0x5a4,
  })
  assert.equal(result.rejected + result.unchanged, 2_000)
  assert.ok((result.codes.EVIDENCE_MALFORMED ?? 0) > 0)
})
