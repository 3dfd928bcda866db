/*
 * Work whose result depends only on some bytes, remembered per those exact bytes: the PCK chain and
 * CRL checks that do not depend on the verification time (parsing, signatures, the SGX extension),
 * TCB Info / QE Identity signature checks, digests and claims of PCR lists. A platform sends the same
 * chain and PCRs with every quote and the collateral changes monthly. Only successes are kept; every
 * check that depends on the time or the nonce runs on every call.
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
  /** When it was last used (a counter), for eviction; a hit only updates this number. */
  used: number
}

/** FNV-1a over the length and about 32 bytes spread over the content. */
function fingerprint(bytes: Uint8Array): number {
  let h = Math.imul(0x811c9dc5 ^ bytes.length, 0x01000193)
  const step = Math.max(1, Math.floor(bytes.length / SAMPLES))
  for (let i = 0; i < bytes.length; i += step) h = Math.imul(h ^ (bytes[i] ?? 0), 0x01000193)
  return h >>> 0
}

export class ContentCache<T> {
  /** Per context, buckets by fingerprint. */
  readonly #contexts = new Map<string, Map<number, Entry<T>[]>>()
  readonly #limit: number
  #size = 0
  #clock = 0

  constructor(limit = LIMIT) {
    this.#limit = limit
  }

  /** The value for these bytes (and context key), made once while it stays among the recent ones. */
  get(bytes: Uint8Array, context: string, make: () => T): T {
    const key = fingerprint(bytes)
    let buckets = this.#contexts.get(context)
    let bucket = buckets?.get(key)
    if (bucket !== undefined) {
      for (const entry of bucket) {
        if (entry.bytes.length === bytes.length && entry.bytes.equals(bytes)) {
          entry.used = ++this.#clock
          return entry.value
        }
      }
    }
    const value = make()
    if (buckets === undefined) {
      buckets = new Map()
      this.#contexts.set(context, buckets)
    }
    if (bucket === undefined) {
      bucket = []
      buckets.set(key, bucket)
    }
    bucket.push({ bytes: Buffer.from(bytes), value, used: ++this.#clock })
    this.#size++
    if (bucket.length > BUCKET_LIMIT) this.#drop(bucket, 0)
    while (this.#size > this.#limit) this.#evictOldest()
    return value
  }

  #drop(bucket: Entry<T>[], index: number): void {
    bucket.splice(index, 1)
    this.#size--
  }

  /** Drops the least recently used entry: a scan, paid only when a new entry exceeds the limit. */
  #evictOldest(): void {
    let oldest: { bucket: Entry<T>[]; index: number; used: number } | undefined
    for (const buckets of this.#contexts.values()) {
      for (const bucket of buckets.values()) {
        bucket.forEach((entry, index) => {
          if (oldest === undefined || entry.used < oldest.used) oldest = { bucket, index, used: entry.used }
        })
      }
    }
    if (oldest === undefined) {
      this.#size = 0
      return
    }
    this.#drop(oldest.bucket, oldest.index)
    this.#prune()
  }

  /** Forgets empty buckets and contexts. */
  #prune(): void {
    for (const [context, buckets] of this.#contexts) {
      for (const [key, bucket] of buckets) if (bucket.length === 0) buckets.delete(key)
      if (buckets.size === 0) this.#contexts.delete(context)
    }
  }
}
