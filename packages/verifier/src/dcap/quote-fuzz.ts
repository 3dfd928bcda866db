import assert from 'node:assert/strict'
import type { Verifier, VerificationContext, ExpectedBinding } from '../verifier.ts'
import { mutateBytes, outcome, seededRandom } from '../tpm/fuzz-support.ts'
import { parseDcapQuote } from './quote-parse.ts'

/*
 * Test support: the bounded fuzz run of the tdx and sgx verifiers. Bytes after a quote's signature
 * data are not part of the quote (real quotes come in larger buffers), so a mutation that only
 * appends there may be accepted; every other mutation must be refused with a VerificationError.
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
  const verify = (q: Uint8Array) => () => c.verifier.verify(c.evidence(q), c.expected, c.context)
  assert.equal(await outcome(verify(c.quote)), 'accepted')
  const length = quoteLength(c.quote)
  const original = Buffer.from(c.quote.subarray(0, length))
  const pick = seededRandom(c.seed)
  let rejected = 0
  let appendedOnly = 0
  for (let i = 0; i < c.runs; i++) {
    const mutated = mutateBytes(c.quote, pick)
    if (Buffer.from(mutated).equals(c.quote)) continue
    const result = await outcome(verify(mutated))
    if (result === 'rejected') {
      rejected++
      continue
    }
    const onlyAppended = mutated.length > length && original.equals(mutated.subarray(0, length))
    assert.ok(onlyAppended, `mutation ${String(i)} changed the quote and was accepted`)
    appendedOnly++
  }
  return { rejected, appendedOnly }
}
