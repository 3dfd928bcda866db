import assert from 'node:assert/strict'
import { VerificationError } from '../verifier.ts'

/** A seeded PRNG (mulberry32): every run makes the same mutations. */
export function seededRandom(seed: number): (n: number) => number {
  let state = seed >>> 0
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n)
  }
}

/** Cut short, extended, or 1–4 bytes changed (flipped, zeroed or set to 0xff). */
export function mutateBytes(bytes: Uint8Array, pick: (n: number) => number): Uint8Array {
  switch (pick(6)) {
    case 0:
      return bytes.slice(0, pick(bytes.length))
    case 1:
      return Uint8Array.from([...bytes, ...Array.from({ length: 1 + pick(8) }, () => pick(256))])
    default: {
      const out = new Uint8Array(bytes)
      for (let i = 0, flips = 1 + pick(4); i < flips && out.length > 0; i++) {
        const at = pick(out.length)
        out[at] = pick(3) === 0 ? ([0, 0xff][pick(2)] ?? 0) : (out[at] ?? 0) ^ (1 + pick(255))
      }
      return out
    }
  }
}

/** Runs `verify`; a rejection must be a `VerificationError`. */
export async function outcome(verify: () => Promise<unknown>): Promise<'accepted' | 'rejected'> {
  try {
    await verify()
    return 'accepted'
  } catch (error) {
    assert.ok(error instanceof VerificationError, `untyped failure: ${String(error)}`)
    return 'rejected'
  }
}
