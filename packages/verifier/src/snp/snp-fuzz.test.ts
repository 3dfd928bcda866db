import assert from 'node:assert/strict'
import { test } from 'node:test'
import { VerificationError, type VerificationContext } from '../verifier.ts'
import { parseSnpEvidence, snpEvidenceJson } from './snp-evidence.ts'
import { SnpOffset } from './snp-report.ts'
import { fakeCollateral, goldenReports, snpFixture } from './snp-test-support.ts'
import { createSnpVerifier } from './snp-verifier.ts'

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

const golden = goldenReports()['oak-milan-oc']
assert.ok(golden !== undefined)
const report = snpFixture(golden.report)
const expected = { reportData: report.slice(SnpOffset.reportData, SnpOffset.reportData + 64) }
const context: VerificationContext = {
  at: new Date(golden.at),
  collateral: fakeCollateral({ 'amd-vcek': snpFixture(golden.vcek) }),
}
const verifier = createSnpVerifier()

function mutate(bytes: Uint8Array, next: () => number): Uint8Array {
  const pick = (n: number): number => Math.floor(next() * n)
  switch (pick(5)) {
    case 0:
      return bytes.slice(0, pick(bytes.length))
    case 1:
      return Uint8Array.from([...bytes, ...Array.from({ length: 1 + pick(8) }, () => pick(256))])
    default: {
      const out = new Uint8Array(bytes)
      const flips = 1 + pick(4)
      for (let i = 0; i < flips; i += 1) {
        const at = pick(out.length)
        out[at] = pick(3) === 0 ? ([0, 0xff][pick(2)] ?? 0) : (out[at] as number) ^ (1 + pick(255))
      }
      return out
    }
  }
}

async function outcome(evidence: unknown): Promise<'accepted' | 'rejected'> {
  try {
    await verifier.verify(evidence, expected, context)
    return 'accepted'
  } catch (error) {
    assert.ok(error instanceof VerificationError, `untyped failure: ${String(error)}`)
    return 'rejected'
  }
}

test('snp fuzz: 10,000 mutations of a raw golden report are only ever rejected, with typed errors', async () => {
  const next = random(0x5e7)
  assert.equal(await outcome(report), 'accepted')
  for (let i = 0; i < 10_000; i += 1) {
    const mutated = mutate(report, next)
    if (Buffer.from(mutated).equals(report)) continue
    assert.equal(await outcome(mutated), 'rejected', `mutation ${String(i)} was accepted`)
  }
})

test('snp fuzz: 2,000 mutations of golden evidence JSON are accepted only if they carry the same report', async () => {
  const next = random(0x15a)
  const text = snpEvidenceJson(report, [{ certType: 'VCEK', data: snpFixture(golden.vcek) }])
  const original = parseSnpEvidence(text)
  const alphabet = '0123456789,:[]{}"nulrtefa '
  for (let i = 0; i < 2_000; i += 1) {
    const at = Math.floor(next() * text.length)
    const char = alphabet[Math.floor(next() * alphabet.length)] ?? ' '
    const mutated = text.slice(0, at) + (next() < 0.3 ? '' : char) + text.slice(at + (next() < 0.5 ? 1 : 0))
    // A lost cert_chain is fine: the VCEK then comes from the collateral.
    if ((await outcome(mutated)) === 'accepted') assert.deepEqual(parseSnpEvidence(mutated).report, original.report)
  }
})
