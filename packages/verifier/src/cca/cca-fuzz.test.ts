import assert from 'node:assert/strict'
import { test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { ccaEvidence, exampleToken, testTrustAnchors } from './cca-test-token.ts'
import { createCcaVerifier } from './cca-verifier.ts'

/** A small seeded PRNG (mulberry32): the same mutations every run. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function mutate(bytes: Uint8Array, next: () => number): Uint8Array {
  const pick = (n: number): number => Math.floor(next() * n)
  switch (pick(5)) {
    case 0:
      return bytes.slice(0, pick(bytes.length))
    case 1:
      return Uint8Array.from([...bytes, ...Array.from({ length: 1 + pick(8) }, () => pick(256))])
    default: {
      const out = new Uint8Array(bytes)
      for (let i = 0, flips = 1 + pick(4); i < flips; i += 1) {
        const at = pick(out.length)
        out[at] = pick(3) === 0 ? ([0, 0xff, 0x18, 0x40, 0xa0][pick(5)] ?? 0) : (out[at] ?? 0) ^ (1 + pick(255))
      }
      return out
    }
  }
}

test('cca fuzz: 10,000 mutations of the example token are only ever rejected, with typed errors', async () => {
  const verifier = createCcaVerifier({ trustAnchors: testTrustAnchors() })
  const token = exampleToken()
  const challenge = new Uint8Array(64)
  // The example token's realm challenge, read from its fixed position after the realm claims header.
  const index = Buffer.from(token).indexOf(Buffer.from('57e979ae2618de0c', 'hex'))
  challenge.set(token.subarray(index, index + 64))
  const outcome = async (bytes: Uint8Array): Promise<'accepted' | 'rejected'> => {
    try {
      await verifier.verify(ccaEvidence(bytes), { reportData: challenge })
      return 'accepted'
    } catch (error) {
      assert.ok(error instanceof VerificationError, `untyped failure: ${String(error)}`)
      return 'rejected'
    }
  }
  assert.equal(await outcome(token), 'accepted')
  const next = random(0xcca)
  for (let i = 0; i < 10_000; i += 1) {
    const mutated = mutate(token, next)
    if (Buffer.from(mutated).equals(Buffer.from(token))) continue
    assert.equal(await outcome(mutated), 'rejected', `mutation ${String(i)} was accepted`)
  }
})
