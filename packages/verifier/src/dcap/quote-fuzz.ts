import type { Verifier, VerificationContext, ExpectedBinding } from '../verifier.ts'
import { fuzzVerifier } from '../fuzz/fuzz-verifier.ts'
import { mutateBytes } from '../fuzz/mutate-bytes.ts'
import { parseDcapQuote } from './quote-parse.ts'

/*
 * Test support: the bounded fuzz run of the tdx and sgx verifiers, on the shared harness (src/fuzz).
 * Bytes after a quote's signature data are not part of the quote (real quotes come in larger
 * buffers), so a mutation that only appends there may be accepted; every other mutation must be
 * refused with a VerificationError.
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

/** The number of bytes the quote itself spans (header through signature data). */
export function quoteLength(quote: Uint8Array): number {
  const parsed = parseDcapQuote(quote)
  const certData = parsed.qe.certData
  return certData.byteOffset - quote.byteOffset + certData.length
}

export async function fuzzQuote(c: QuoteFuzzCase): Promise<{ rejected: number; appendedOnly: number }> {
  const length = quoteLength(c.quote)
  const original = Buffer.from(c.quote.subarray(0, length))
  const result = await fuzzVerifier({
    golden: c.quote,
    mutate: mutateBytes,
    verify: (q) => c.verifier.verify(c.evidence(q), c.expected, c.context),
    runs: c.runs,
    seed: c.seed,
    acceptable: (mutated) => mutated.length > length && original.equals(mutated.subarray(0, length)),
  })
  return { rejected: result.rejected, appendedOnly: result.acceptedHarmless }
}
