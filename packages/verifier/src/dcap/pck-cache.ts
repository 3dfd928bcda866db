/*
 * The PCK chain and CRL checks that do not depend on the verification time (parsing, signatures,
 * the SGX extension), and the TCB Info / QE Identity signature checks, are remembered per content: a
 * platform sends the same chain with every quote and the collateral changes monthly. Only successes
 * are kept; the time checks run on every call.
 *
 * Entries are found by exact bytes: a cheap fingerprint (length and sampled bytes) picks a bucket and
 * a byte-for-byte comparison with the kept copy decides. A comparison costs far less than a digest
 * of the same bytes, and unlike a digest key it cannot collide.
 */

const LIMIT = 512
/** Different contents with the same fingerprint are rare; a bucket keeps at most this many. */
const BUCKET_LIMIT = 8
const SAMPLES = 32

interface Entry<T> {
  readonly bytes: Buffer
  readonly value: T
}

function fingerprint(bytes: Uint8Array): number {
  let h = 0x811c9dc5 ^ bytes.length
  const step = Math.max(1, Math.floor(bytes.length / SAMPLES))
  for (let i = 0; i < bytes.length; i += step) h = Math.imul(h ^ (bytes[i] ?? 0), 0x01000193)
  return h >>> 0
}

export class ContentCache<T> {
  readonly #buckets = new Map<string, Entry<T>[]>()
  readonly #limit: number
  #size = 0

  constructor(limit = LIMIT) {
    this.#limit = limit
  }

  /** The value for these bytes (and context key), made once while it stays among the recent ones. */
  get(bytes: Uint8Array, context: string, make: () => T): T {
    const key = `${context}\n${String(bytes.length)}:${String(fingerprint(bytes))}`
    const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
    const bucket = this.#buckets.get(key)
    if (bucket !== undefined) {
      for (const entry of bucket) {
        if (entry.bytes.equals(view)) {
          // Most recently used buckets go last, so the first one is the eviction candidate.
          this.#buckets.delete(key)
          this.#buckets.set(key, bucket)
          return entry.value
        }
      }
    }
    const value = make()
    const entry = { bytes: Buffer.from(view), value }
    if (bucket === undefined) {
      this.#buckets.set(key, [entry])
    } else {
      this.#buckets.delete(key)
      this.#buckets.set(key, bucket)
      bucket.push(entry)
      if (bucket.length > BUCKET_LIMIT) {
        bucket.shift()
        this.#size--
      }
    }
    this.#size++
    while (this.#size > this.#limit) {
      const oldest = this.#buckets.entries().next().value
      if (oldest === undefined) break
      this.#buckets.delete(oldest[0])
      this.#size -= oldest[1].length
    }
    return value
  }
}
