/** `pick(n)`: a whole number in [0, n). */
export type Pick = (n: number) => number

/** A seeded PRNG (mulberry32): the same seed makes the same mutations on every run and machine. */
export function seededPick(seed: number): Pick {
  let state = seed >>> 0
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n)
  }
}
