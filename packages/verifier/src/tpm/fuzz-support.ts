import assert from 'node:assert/strict'
import { VerificationError } from '../verifier.ts'

/*
 * The tpm and az-*-vtpm fuzz tests mutate several evidence fields per run; they take the seeded
 * PRNG and the byte mutations from the shared harness (src/fuzz/).
 */
export { seededPick as seededRandom } from '../fuzz/seeded-random.ts'
export { mutateBytes } from '../fuzz/mutate-bytes.ts'

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
