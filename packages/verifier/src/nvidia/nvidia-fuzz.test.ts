import assert from 'node:assert/strict'
import { test } from 'node:test'
import { VerificationError, type VerificationContext } from '../verifier.ts'
import { parsePemChain } from './nvidia-cert-chain.ts'
import { HOPPER_NONCE, UUID, deviceEvidence, hopperReport, nvidiaEvidence } from './nvidia-test-evidence.ts'
import { createNvidiaVerifier } from './nvidia-verifier.ts'

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
        out[at] = pick(3) === 0 ? ([0, 0xff][pick(2)] ?? 0) : (out[at] ?? 0) ^ (1 + pick(255))
      }
      return out
    }
  }
}

const context: VerificationContext = { at: new Date('2025-06-01T00:00:00Z') }
const expected = { reportData: HOPPER_NONCE }

test('nvidia fuzz: 10,000 mutations of the golden SPDM report are only ever rejected, with typed errors', async () => {
  const verifier = createNvidiaVerifier()
  const report = hopperReport()
  const base = deviceEvidence({ uuid: UUID })
  const outcome = async (bytes: Uint8Array): Promise<'accepted' | 'rejected'> => {
    try {
      await verifier.verify(
        nvidiaEvidence({ ...base, evidence: Buffer.from(bytes).toString('hex') }),
        expected,
        context,
      )
      return 'accepted'
    } catch (error) {
      assert.ok(error instanceof VerificationError, `untyped failure: ${String(error)}`)
      return 'rejected'
    }
  }
  assert.equal(await outcome(report), 'accepted')
  const next = random(0x6e76)
  for (let i = 0; i < 10_000; i += 1) {
    const mutated = mutate(report, next)
    if (Buffer.from(mutated).equals(Buffer.from(report))) continue
    assert.equal(await outcome(mutated), 'rejected', `mutation ${String(i)} was accepted`)
  }
})

test('nvidia fuzz: 1,000 mutations of the certificate chain are only ever rejected, with typed errors', async () => {
  const verifier = createNvidiaVerifier()
  const golden = deviceEvidence({ uuid: UUID })
  const pem = Buffer.from(golden.certificate ?? '', 'base64')
  const ders = (text: Uint8Array): string[] =>
    parsePemChain(Buffer.from(text).toString('utf8')).map((c) => c.raw.toString('hex'))
  const next = random(0xce27)
  for (let i = 0; i < 1_000; i += 1) {
    const mutated = mutate(pem, next)
    if (Buffer.from(mutated).equals(pem)) continue
    try {
      await verifier.verify(
        nvidiaEvidence({ ...golden, certificate: Buffer.from(mutated).toString('base64') }),
        expected,
        context,
      )
      // Text outside the PEM blocks, or base64 that decodes the same, leaves the same certificates.
      assert.deepEqual(ders(mutated), ders(pem), `mutation ${String(i)} was accepted`)
    } catch (error) {
      assert.ok(error instanceof VerificationError, `mutation ${String(i)}: untyped failure: ${String(error)}`)
    }
  }
})
