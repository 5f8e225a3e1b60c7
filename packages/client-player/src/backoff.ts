/**
 * Reconnect delays: exponential backoff with "full jitter" (a uniformly random delay between 0 and the
 * capped exponential bound), which spreads reconnecting clients out instead of having them retry in step.
 */

/** Settings of {@link backoffDelay}. */
export interface BackoffOptions {
  /** Bound of the first retry, in ms (attempt 0). Default 250. */
  readonly baseMs?: number
  /** Largest bound any retry may reach, in ms. Default 10 000. */
  readonly capMs?: number
  /** Shortest delay returned, in ms (keeps a tight loop from hammering a server). Default 0. */
  readonly minMs?: number
}

/** Default backoff settings. */
export const DEFAULT_BACKOFF: Required<BackoffOptions> = Object.freeze({ baseMs: 250, capMs: 10_000, minMs: 0 })

/**
 * The upper bound of the delay before retry number `attempt` (0-based): `min(cap, base · 2^attempt)`.
 * @throws RangeError for a negative or non-integer attempt.
 */
export function backoffBound(attempt: number, options: BackoffOptions = {}): number {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError(`attempt must be a non-negative integer, got ${attempt}`)
  const { baseMs, capMs } = { ...DEFAULT_BACKOFF, ...options }
  if (!(baseMs > 0) || !(capMs >= baseMs)) throw new RangeError(`need 0 < baseMs <= capMs, got ${baseMs} and ${capMs}`)
  // 2^attempt overflows to Infinity for huge attempts; min() keeps the cap.
  return Math.min(capMs, baseMs * 2 ** Math.min(attempt, 1024))
}

/**
 * The delay before retry number `attempt` (0-based) with full jitter: `random() · bound`, at least `minMs`.
 * `random` is injected (returns a number in [0, 1)) so the result is reproducible in tests.
 */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = {}): number {
  const bound = backoffBound(attempt, options)
  const r = random()
  const u = r >= 0 && r < 1 ? r : 0
  return Math.max(options.minMs ?? DEFAULT_BACKOFF.minMs, u * bound)
}
