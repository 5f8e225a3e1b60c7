/**
 * NTP-style clock offset estimation (pure math). A sample is one ping: the local clock when the request
 * left (`t0`), when the reply arrived (`t1`) and the server's clock in the reply. The server read its clock
 * somewhere inside [t0, t1], so `offset = server − (t0 + t1) / 2` with an error of at most `rtt / 2`:
 * samples with the lowest round-trip time are the most trustworthy.
 */

/** One clock ping, all values in milliseconds. */
export interface ClockSample {
  /** Local clock when the request was sent. */
  readonly t0: number
  /** Local clock when the reply arrived. */
  readonly t1: number
  /** Server clock read while handling the request. */
  readonly serverTime: number
}

/** An offset estimate: `serverTime ≈ localTime + offsetMs`. */
export interface ClockEstimate {
  /** Server clock minus local clock, in ms. */
  readonly offsetMs: number
  /** Median round-trip time of the samples used, in ms. */
  readonly rttMs: number
  /** Lowest round-trip time seen, in ms (half of it bounds the estimate's error). */
  readonly minRttMs: number
  /** Samples the estimate was made from (after dropping slow and outlying ones). */
  readonly used: number
  /** Valid samples offered. */
  readonly total: number
}

/** Settings of {@link estimateClock}. */
export interface EstimateOptions {
  /** Fraction of samples kept, lowest RTT first (default 0.5; at least one sample is always kept). */
  readonly keepFraction?: number
  /** Outlier threshold in robust standard deviations (1.4826 · MAD) around the median (default 3). */
  readonly outlierSigmas?: number
  /** Offsets closer than this to the median are never outliers, in ms (default 1). */
  readonly minToleranceMs?: number
}

/** Offset and RTT of a single sample. */
export function sampleOffset(s: ClockSample): { offsetMs: number; rttMs: number } {
  return { offsetMs: s.serverTime - (s.t0 + s.t1) / 2, rttMs: s.t1 - s.t0 }
}

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list')
  const v = [...values].sort((a, b) => a - b)
  const mid = v.length >> 1
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2
}

function isValid(s: ClockSample): boolean {
  return Number.isFinite(s.t0) && Number.isFinite(s.t1) && Number.isFinite(s.serverTime) && s.t1 >= s.t0
}

/**
 * Estimates the clock offset from several pings: keeps the lowest-RTT fraction, takes the median offset,
 * drops outliers (beyond `outlierSigmas` robust deviations) and returns the median of the rest.
 * Returns `undefined` when no sample is valid (non-finite values or a reply before its request).
 */
export function estimateClock(samples: readonly ClockSample[], options: EstimateOptions = {}): ClockEstimate | undefined {
  const keepFraction = options.keepFraction ?? 0.5
  const sigmas = options.outlierSigmas ?? 3
  const floor = options.minToleranceMs ?? 1
  const valid = samples.filter(isValid).map(sampleOffset)
  if (valid.length === 0) return undefined
  const byRtt = [...valid].sort((a, b) => a.rttMs - b.rttMs)
  const kept = byRtt.slice(0, Math.max(1, Math.ceil(byRtt.length * keepFraction)))
  const med = median(kept.map((k) => k.offsetMs))
  const mad = median(kept.map((k) => Math.abs(k.offsetMs - med)))
  const tolerance = Math.max(floor, sigmas * 1.4826 * mad)
  const inliers = kept.filter((k) => Math.abs(k.offsetMs - med) <= tolerance)
  return {
    offsetMs: median(inliers.map((k) => k.offsetMs)),
    rttMs: median(inliers.map((k) => k.rttMs)),
    minRttMs: byRtt[0].rttMs,
    used: inliers.length,
    total: valid.length,
  }
}

/**
 * Combines a new offset estimate with the one in use. Small changes are slewed (moved a fraction `alpha`
 * of the way) so scheduled times do not jitter at every re-sync; a change larger than `jumpMs` (the local
 * or server clock was stepped) is taken at once.
 */
export function mergeOffset(previousMs: number | undefined, nextMs: number, alpha = 0.5, jumpMs = 25): number {
  if (previousMs === undefined || !Number.isFinite(previousMs)) return nextMs
  const diff = nextMs - previousMs
  return Math.abs(diff) > jumpMs ? nextMs : previousMs + alpha * diff
}
