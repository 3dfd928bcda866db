import assert from 'node:assert/strict'
import type { Verifier, VerificationContext, ExpectedBinding } from '../verifier.ts'
import { VerificationError } from '../verifier.ts'
import { parseDcapQuote } from './quote-parse.ts'

/*
 * Test support: the bounded fuzz run of the tdx and sgx verifiers. Bytes after a quote's signature
 * data are not part of the quote (real quotes come in larger buffers), so a mutation that only
 * appends there may be accepted; every other mutation must be refused with a VerificationError.
 */

/** xorshift32 from a seed: every run makes the same mutations. */
function random(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1
  return (n) => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x % n
  }
}

/** One mutation: cut at a random length, bytes appended, or 1–3 bytes replaced. */
function mutate(bytes: Uint8Array, pick: (n: number) => number): Uint8Array {
  const kind = pick(8)
  if (kind === 0) return bytes.slice(0, pick(bytes.length))
  if (kind === 1) return Uint8Array.from([...bytes, ...Array.from({ length: 1 + pick(16) }, () => pick(256))])
  const out = Uint8Array.from(bytes)
  for (let i = 0, n = 1 + pick(3); i < n; i++) out[pick(out.length)] = pick(256)
  return out
}

async function outcome(run: () => Promise<unknown>): Promise<'accepted' | 'rejected'> {
  try {
    await run()
    return 'accepted'
  } catch (error) {
    assert.ok(error instanceof VerificationError, `untyped failure: ${String(error)}`)
    return 'rejected'
  }
}

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
  const pick = random(c.seed)
  let rejected = 0
  let appendedOnly = 0
  for (let i = 0; i < c.runs; i++) {
    const mutated = mutate(c.quote, pick)
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
