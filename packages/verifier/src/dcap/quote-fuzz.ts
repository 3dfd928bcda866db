import type { Verifier, VerificationContext, ExpectedBinding } from '../verifier.ts'
import { fuzzVerifier, type FuzzResult } from '../fuzz/fuzz-verifier.ts'
import { mutateBytes } from '../fuzz/mutate-bytes.ts'

/*
 * Test support: the bounded fuzz run of the tdx and sgx verifiers, on the shared harness (src/fuzz).
 * Every mutation of the quote bytes must be refused with a VerificationError; bytes appended after
 * the signature data are refused by the parser (quote-parse.ts accepts only known zero padding).
 */

export interface QuoteFuzzCase {
  readonly verifier: Verifier
  readonly quote: Uint8Array
  readonly evidence: (quote: Uint8Array) => unknown
  readonly expected: ExpectedBinding
  readonly context: VerificationContext
  readonly runs: number
  readonly seed: number
}

export function fuzzQuote(c: QuoteFuzzCase): Promise<FuzzResult> {
  return fuzzVerifier({
    golden: c.quote,
    mutate: mutateBytes,
    verify: (q) => c.verifier.verify(c.evidence(q), c.expected, c.context),
    runs: c.runs,
    seed: c.seed,
  })
}
