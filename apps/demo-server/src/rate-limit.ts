/** Options for {@link createRateLimiter}. */
export interface RateLimitOptions {
  /** Requests allowed in a burst. */
  burst: number
  /** Tokens added per second. */
  perSecond: number
  /** Clock in ms (injected for tests). */
  now?: () => number
  /** Most keys tracked at once; the stalest are forgotten first. */
  maxKeys?: number
}

/** Outcome of one {@link RateLimiter.take}. */
export interface RateDecision {
  allowed: boolean
  /** Seconds until one token is available (0 when allowed). */
  retryAfter: number
}

/** A token-bucket limiter per key (e.g. client address). */
export interface RateLimiter {
  /** Takes one token for `key`. */
  take(key: string): RateDecision
}

/** Token bucket per key, bounded in memory. */
export function createRateLimiter({ burst, perSecond, now = Date.now, maxKeys = 10_000 }: RateLimitOptions): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>()
  return {
    take(key) {
      const t = now()
      const b = buckets.get(key) ?? { tokens: burst, at: t }
      b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * perSecond)
      b.at = t
      buckets.delete(key)
      buckets.set(key, b)
      if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!)
      if (b.tokens >= 1) {
        b.tokens -= 1
        return { allowed: true, retryAfter: 0 }
      }
      return { allowed: false, retryAfter: Math.ceil((1 - b.tokens) / perSecond) }
    },
  }
}
