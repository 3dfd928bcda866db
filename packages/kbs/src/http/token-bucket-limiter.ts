export interface TokenBucketOptions {
  /** Tokens added per second to each client's bucket. */
  readonly perSecond: number
  /** Bucket size: how many requests a client may make at once after being idle. */
  readonly burst: number
  /** Milliseconds clock (injected for tests). */
  readonly nowMs: () => number
  /** Most clients tracked; beyond it the least recently seen is forgotten (default 10 000). */
  readonly maxClients?: number
}

export type TakeResult = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number }

export interface TokenBucketLimiter {
  /** Takes one token from `client`'s bucket, or says how long until one is there. */
  take(client: string): TakeResult
  /** Clients currently tracked (for tests and metrics). */
  readonly size: number
}

interface Bucket {
  tokens: number
  at: number
}

/**
 * Per-client token buckets held in this process's memory. The map is bounded: a flood of new
 * addresses evicts the least recently seen, and a forgotten client starts again with a full
 * bucket, which is no worse than the limit it had.
 */
export function createTokenBucketLimiter(options: TokenBucketOptions): TokenBucketLimiter {
  const { perSecond, burst, nowMs } = options
  const maxClients = options.maxClients ?? 10_000
  const buckets = new Map<string, Bucket>()
  return {
    take(client) {
      const now = nowMs()
      const bucket = buckets.get(client) ?? { tokens: burst, at: now }
      buckets.delete(client)
      bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * perSecond)
      bucket.at = now
      buckets.set(client, bucket)
      while (buckets.size > maxClients) {
        const oldest = buckets.keys().next().value
        if (oldest === undefined) break
        buckets.delete(oldest)
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1
        return { allowed: true }
      }
      // The epsilon keeps float noise (0.6 / 0.1 = 6.000000000000001) from adding a second.
      const wait = Math.ceil((1 - bucket.tokens) / perSecond - 1e-9)
      return { allowed: false, retryAfterSeconds: Math.max(1, wait) }
    },
    get size() {
      return buckets.size
    },
  }
}
