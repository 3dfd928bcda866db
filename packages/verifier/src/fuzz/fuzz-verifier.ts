import assert from 'node:assert/strict'
import { isDeepStrictEqual } from 'node:util'
import { VerificationError, type VerificationErrorCode } from '../verifier.ts'
import { seededPick, type Pick } from './seeded-random.ts'

/*
 * Test support: the bounded fuzz run every hardware verifier's test uses. The golden evidence must
 * verify; then `runs` seeded mutations of it must each be refused with a VerificationError. There
 * is no exception: a mutation the verifier accepts fails the run, so the parsers must refuse every
 * byte that nothing verifies (padding, text around PEM blocks, unsigned labels).
 *
 * "Untouched" is decided on the value the verifier is given: byte evidence compares byte for byte;
 * JSON evidence is mutated and compared as the parsed value (`isDeepStrictEqual`), so a mutation
 * that gives the same parsed JSON (e.g. a key order change) counts as untouched and is not run.
 */

export interface FuzzCase<T> {
  readonly golden: T
  readonly mutate: (golden: T, pick: Pick) => T
  readonly verify: (evidence: T) => Promise<unknown>
  readonly runs: number
  readonly seed: number
}

export interface FuzzResult {
  readonly runs: number
  /** Mutations equal to the golden evidence (not verified). */
  readonly unchanged: number
  readonly rejected: number
  /** How many rejections each error code had. */
  readonly codes: Readonly<Partial<Record<VerificationErrorCode, number>>>
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b))
  return isDeepStrictEqual(a, b)
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex').slice(0, 400)
  return (JSON.stringify(value) as string | undefined)?.slice(0, 400) ?? String(value)
}

async function rejection(verify: () => Promise<unknown>): Promise<VerificationErrorCode | null> {
  try {
    await verify()
    return null
  } catch (error) {
    if (error instanceof VerificationError) return error.code
    throw new assert.AssertionError({ message: `untyped failure: ${String(error)}`, actual: error })
  }
}

/** Runs the fuzz case; fails (AssertionError) on an untyped error or on any accepted mutation. */
export async function fuzzVerifier<T>(c: FuzzCase<T>): Promise<FuzzResult> {
  const first = await rejection(() => c.verify(c.golden))
  assert.equal(first, null, `golden evidence refused: ${String(first)}`)
  const pick = seededPick(c.seed)
  const codes: Partial<Record<VerificationErrorCode, number>> = {}
  let unchanged = 0
  let rejected = 0
  for (let i = 0; i < c.runs; i++) {
    const mutated = c.mutate(c.golden, pick)
    if (same(mutated, c.golden)) {
      unchanged++
      continue
    }
    const code = await rejection(() => c.verify(mutated))
    if (code === null) assert.fail(`mutation ${String(i)} was accepted: ${describe(mutated)}`)
    rejected++
    codes[code] = (codes[code] ?? 0) + 1
  }
  return { runs: c.runs, unchanged, rejected, codes }
}
