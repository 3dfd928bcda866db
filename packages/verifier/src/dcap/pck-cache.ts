import { createHash } from 'node:crypto'

/*
 * The PCK chain and CRL checks that do not depend on the verification time (parsing, signatures,
 * the SGX extension) are remembered per content: a platform sends the same chain with every quote
 * and the CRLs change monthly. Only successes are kept; the time checks run on every call.
 */

const LIMIT = 512

export class ContentCache<T> {
  readonly #entries = new Map<string, T>()

  /** The value for these bytes (and context key), made once while it stays among the recent ones. */
  get(bytes: Uint8Array, context: string, make: () => T): T {
    const key = `${context}:${createHash('sha256').update(bytes).digest('base64')}`
    const hit = this.#entries.get(key)
    if (hit !== undefined) {
      this.#entries.delete(key)
      this.#entries.set(key, hit)
      return hit
    }
    const value = make()
    this.#entries.set(key, value)
    if (this.#entries.size > LIMIT) {
      const oldest = this.#entries.keys().next().value
      if (oldest !== undefined) this.#entries.delete(oldest)
    }
    return value
  }
}
